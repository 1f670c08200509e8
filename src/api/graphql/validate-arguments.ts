import { ValidationError, validateOrReject } from 'class-validator';
import { ArgumentValidationError } from 'type-graphql';

const OPTIONS = { forbidUnknownValues: false, whitelist: false, skipMissingProperties: true };

const validated = (value: unknown): value is object => value !== null && typeof value === 'object';

/**
 * Validates a resolver argument with its class-validator rules, as TypeGraphQL's own validation does with these
 * options; TypeGraphQL resolves `require('class-validator')` again for every argument it validates.
 */
export async function validateArgument(value: unknown): Promise<void> {
  if (!validated(value)) return;
  try {
    if (Array.isArray(value)) await Promise.all(value.filter(validated).map((item) => validateOrReject(item, OPTIONS)));
    else await validateOrReject(value, OPTIONS);
  } catch (errors) {
    throw new ArgumentValidationError(errors as ValidationError[]);
  }
}
