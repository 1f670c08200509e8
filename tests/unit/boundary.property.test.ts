import 'reflect-metadata';
import fc from 'fast-check';
import { GraphQLInputObjectType, GraphQLSchema, isInputObjectType } from 'graphql';
import { AppError, HTTP_STATUS, toErrorBody } from '../../src/core/errors';
import { camelInput, toSnake } from '../../src/core/casing';
import { clientAddress } from '../../src/core/client-address';
import { getSchema } from '../../src/app/schema';

/** Properties of the pure pieces of the boundary: error mapping, key casing, client addresses. */
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await getSchema();
});

describe('error mapping', () => {
  it("maps anything thrown to a documented code, and never repeats an unknown error's message", () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.anything(),
          fc.string({ minLength: 8 }).map((m) => new Error(`secret ${m}`)),
        ),
        (thrown) => {
          const body = toErrorBody(thrown);
          expect(Object.keys(HTTP_STATUS)).toContain(body.code);
          if (thrown instanceof Error && !(thrown instanceof AppError))
            expect(body).toEqual({ code: 'INTERNAL', message: 'Internal server error' });
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps an AppError's code, message and details", () => {
    const code = fc.constantFrom(...(Object.keys(HTTP_STATUS) as Array<keyof typeof HTTP_STATUS>));
    fc.assert(
      fc.property(
        code,
        fc.string(),
        fc.array(fc.record({ field: fc.string(), message: fc.string() }), { maxLength: 3 }),
        (c, message, details) => {
          expect(toErrorBody(new AppError(c, message, details))).toMatchObject({ code: c, message, details });
        },
      ),
    );
  });
});

describe('REST key casing', () => {
  it('turns the snake_case form of any input object back into its GraphQL field names', () => {
    const inputs = Object.values(schema.getTypeMap()).filter((t): t is GraphQLInputObjectType => isInputObjectType(t));
    const sample = fc
      .constantFrom(...inputs)
      .chain((type) =>
        fc.tuple(fc.constant(type), fc.subarray(Object.keys(type.getFields())), fc.jsonValue({ maxDepth: 0 })),
      );
    fc.assert(
      fc.property(sample, ([type, names, value]) => {
        const camel = Object.fromEntries(
          names.filter((n) => !isInputObjectType(type.getFields()[n].type)).map((n) => [n, value]),
        );
        const snake = Object.fromEntries(Object.entries(camel).map(([k, v]) => [toSnake(k), v]));
        expect(camelInput(snake, type)).toEqual(camel);
      }),
      { numRuns: 200 },
    );
  });
});

describe('client addresses', () => {
  it('never throw, and put every address of one IPv6 /64 under one key', () => {
    fc.assert(fc.property(fc.string(), (s) => expect(typeof clientAddress(s)).toBe('string')));
    const group = fc.integer({ min: 0, max: 0xffff }).map((n) => n.toString(16));
    fc.assert(
      fc.property(
        fc.array(group, { minLength: 4, maxLength: 4 }),
        fc.array(group, { minLength: 4, maxLength: 4 }),
        fc.array(group, { minLength: 4, maxLength: 4 }),
        (prefix, a, b) => {
          expect(clientAddress([...prefix, ...a].join(':'))).toBe(clientAddress([...prefix, ...b].join(':')));
        },
      ),
    );
    fc.assert(fc.property(fc.ipV4(), (ip) => expect(clientAddress(ip)).toBe(ip)));
  });
});
