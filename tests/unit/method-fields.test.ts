import 'reflect-metadata';
import { GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema } from 'graphql';
import { getSchema } from '../../src/app/schema';
import { Incident } from '../../src/modules/incidents/incident.entity';
import { RowRef } from '../../src/db/fast/rows';

let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

const field = (type: string, name: string) => (schema.getType(type) as GraphQLObjectType).getFields()[name];
const resolve = (type: string, name: string, root: unknown) =>
  field(type, name).resolve!(root, {}, {}, {} as GraphQLResolveInfo);

describe('method fields', () => {
  it('are called directly for argument-free methods, and left to TypeGraphQL otherwise', () => {
    const direct = Object.values(schema.getTypeMap())
      .filter((t): t is GraphQLObjectType => t instanceof GraphQLObjectType)
      .flatMap((t) =>
        Object.values(t.getFields())
          .filter((f) => f.resolve?.name === 'callMethod')
          .map((f) => `${t.name}.${f.name}`),
      );
    expect(direct).toEqual(
      expect.arrayContaining([
        'Incident.key',
        'Incident.serviceId',
        'Incident.slaPolicyId',
        'Problem.key',
        'ChangeRequest.approverId',
      ]),
    );
    expect(direct).not.toContain('Incident.timeline');
    expect(direct).not.toContain('Incident.service');
    expect(direct).not.toContain('Incident.title');
  });

  it('answer a record of the class and a plain object alike', () => {
    const row = Object.setPrototypeOf({ number: 7, service: new RowRef('s-1') }, Incident.prototype);
    expect([resolve('Incident', 'key', row), resolve('Incident', 'serviceId', row)]).toEqual(['INC-7', 's-1']);
    expect([resolve('Incident', 'key', { number: 8 }), resolve('Incident', 'serviceId', { service: null })]).toEqual([
      'INC-8',
      null,
    ]);
  });
});
