import { GraphQLError, buildSchema } from 'graphql';
import { AppError, toErrorBody } from '../../src/core/errors';

const schema = buildSchema('enum Severity { P1 P2 P3 P4 } type Query { x: Severity }');

describe('error mapping', () => {
  it('keeps an AppError as it is', () => {
    expect(toErrorBody(AppError.conflict('nope'))).toEqual({
      code: 'CONFLICT',
      message: 'nope',
      details: undefined,
      headers: undefined,
    });
  });

  it('hides the message of an unexpected error from execution', () => {
    const error = new GraphQLError('relation "incidents" does not exist', {
      path: ['incidents'],
      originalError: new Error('select * from incidents'),
    });
    expect(toErrorBody(error, schema)).toEqual({ code: 'INTERNAL', message: 'Internal server error' });
  });

  it('names the field and the allowed values of a bad enum in variables', () => {
    const error = new GraphQLError(
      'Variable "$input" got invalid value "P9" at "input.severity"; Value "P9" does not exist in "Severity" enum.',
    );
    expect(toErrorBody(error, schema)).toEqual({
      code: 'VALIDATION_FAILED',
      message: 'severity must be one of P1, P2, P3, P4',
      details: [{ field: 'severity', message: 'must be one of P1, P2, P3, P4' }],
    });
  });

  it('names an unknown input field', () => {
    const error = new GraphQLError(
      'Variable "$input" got invalid value { bogus: 1 }; Field "bogus" is not defined by type "CreateIncidentInput".',
    );
    expect(toErrorBody(error, schema).details).toEqual([{ field: 'bogus', message: 'is not a known field' }]);
  });

  it('names a missing required field', () => {
    const error = new GraphQLError(
      'Variable "$input" got invalid value {}; Field "title" of required type "String!" was not provided.',
    );
    expect(toErrorBody(error, schema).details).toEqual([{ field: 'title', message: 'is required' }]);
  });
});
