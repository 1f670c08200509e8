import { buildSchema, execute, parse } from 'graphql';
import { camelInput, toCamel, toSnake } from '../../src/core/casing';
import { toRestView } from '../../src/api/rest/sofa';

const schema = buildSchema(`
  scalar JSONObject
  type Event { id: ID! occurredAt: String! data: JSONObject incident: Incident details: Details }
  type Details { sourceName: String }
  type Incident { id: ID! serviceId: ID }
  input CreateEventInput { incidentId: ID! extraData: JSONObject tags: [String!] }
  type Query { event: Event }
  type Mutation { create(input: CreateEventInput!): Event }
`);

describe('REST casing', () => {
  it('converts names both ways', () => {
    expect(toSnake('classificationConfidence')).toBe('classification_confidence');
    expect(toCamel('sla_response_due_at')).toBe('slaResponseDueAt');
    expect(toCamel(toSnake('runbookUrl'))).toBe('runbookUrl');
  });

  it('the REST view names result keys in snake_case, leaves free-form JSON alone and shows nested records by id', async () => {
    const rootValue = {
      event: {
        id: '1',
        occurredAt: 'now',
        data: { fromStatus: 'open', nested: { keepMe: 1 } },
        incident: { id: '2', serviceId: null },
        details: { sourceName: 'x' },
      },
    };
    const document = toRestView(
      schema,
      parse('query { event { id occurredAt data incident { id serviceId } details { sourceName } } }'),
    );
    const result = await execute({ schema, document, rootValue });
    expect(result.errors).toBeUndefined();
    expect(result.data).toEqual({
      event: {
        id: '1',
        occurred_at: 'now',
        data: { fromStatus: 'open', nested: { keepMe: 1 } },
        details: { source_name: 'x' },
      },
    });
  });

  it('renames input keys by the schema and leaves JSON values alone', () => {
    const arg = schema.getMutationType()!.getFields().create.args[0];
    expect(
      camelInput({ incident_id: '1', extra_data: { some_key: 1 }, tags: ['a_b'], unknown_field: 2 }, arg.type),
    ).toEqual({
      incidentId: '1',
      extraData: { some_key: 1 },
      tags: ['a_b'],
      unknownField: 2,
    });
  });
});
