import { buildSchema } from 'graphql';
import { camelInput, snakeResult, toCamel, toSnake } from '../../src/rest/casing';

const schema = buildSchema(`
  scalar JSONObject
  type Event { id: ID! occurredAt: String! data: JSONObject incident: Incident }
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

  it('renames result keys by the schema and leaves free-form JSON alone', () => {
    const result = { id: '1', occurredAt: 'now', data: { fromStatus: 'open', nested: { keepMe: 1 } }, incident: { id: '2', serviceId: null } };
    expect(snakeResult(result, schema.getQueryType()!.getFields().event.type)).toEqual({
      id: '1',
      occurred_at: 'now',
      data: { fromStatus: 'open', nested: { keepMe: 1 } },
      incident: { id: '2', service_id: null },
    });
  });

  it('renames input keys by the schema and leaves JSON values alone', () => {
    const arg = schema.getMutationType()!.getFields().create.args[0];
    expect(camelInput({ incident_id: '1', extra_data: { some_key: 1 }, tags: ['a_b'], unknown_field: 2 }, arg.type)).toEqual({
      incidentId: '1',
      extraData: { some_key: 1 },
      tags: ['a_b'],
      unknownField: 2,
    });
  });
});
