import { Field, getMetadataStorage } from 'type-graphql';
import type { ClassType } from 'type-graphql';

/** How one filter input field narrows a list. */
export type FilterRule =
  | {
      kind: 'in';
      property: string;
      /** values may be keys of the related entity (INC-4) as well as ids */ keyPrefix?: string;
    }
  | { kind: 'eq'; property: string }
  | { kind: 'after' | 'before'; property: string }
  | { kind: 'text'; properties: string[] }
  | { kind: 'contains'; property: string };

type TypeFn = () => unknown;

interface FilterOptions {
  description?: string;
}

const rulesByClass = new WeakMap<object, Record<string, FilterRule>>();

/**
 * A field of a list's filter input, declared once: its GraphQL type (always optional) and the rule by which the
 * service narrows the list (CrudService reads the rules with filterRulesOf). Other validators stay beside it.
 */
function filterField(rule: FilterRule, type: TypeFn, options: FilterOptions): PropertyDecorator {
  return (target, key) => {
    Field(type as never, { nullable: true, ...(options.description ? { description: options.description } : {}) })(
      target,
      key,
    );
    const rules = rulesByClass.get(target.constructor) ?? {};
    rules[String(key)] = rule;
    rulesByClass.set(target.constructor, rules);
  };
}

/** Records whose `property` (a column or a to-one relation) is any of the values. */
export const FilterIn = (property: string, type: TypeFn, options: FilterOptions & { keyPrefix?: string } = {}) =>
  filterField(
    { kind: 'in', property, ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}) },
    () => [type()],
    options,
  );

/** Records whose `property` equals the value. */
export const FilterEq = (property: string, type: TypeFn, options: FilterOptions = {}) =>
  filterField({ kind: 'eq', property }, type, options);

/** Records whose `property` (a time) is at or after the value. */
export const FilterAfter = (property: string, options: FilterOptions = {}) =>
  filterField({ kind: 'after', property }, () => Date, options);

/** Records whose `property` (a time) is before the value. */
export const FilterBefore = (property: string, options: FilterOptions = {}) =>
  filterField({ kind: 'before', property }, () => Date, options);

/** Records with the text (case-insensitive) in any of `properties`. */
export const FilterText = (properties: string[], options: FilterOptions = {}) =>
  filterField({ kind: 'text', properties }, () => String, options);

/** Records whose array `property` contains every one of the values. */
export const FilterContains = (property: string, type: TypeFn, options: FilterOptions = {}) =>
  filterField({ kind: 'contains', property }, () => [type()], options);

/**
 * The rules of a filter input class. Every GraphQL field of the class must have been declared with one of the
 * filter decorators above: a plain `@Field` would reach the schema with nothing to filter by, so it fails here, when
 * the service is built at start.
 */
export function filterRulesOf(filterInput: ClassType): Record<string, FilterRule> {
  const rules = rulesByClass.get(filterInput) ?? {};
  const fields = getMetadataStorage()
    .fields.filter((f) => f.target === filterInput)
    .map((f) => f.name);
  const missing = fields.filter((name) => !rules[name]);
  if (missing.length)
    throw new Error(
      `${filterInput.name}: ${missing.join(', ')} declared without a filter rule (use FilterIn, FilterEq…)`,
    );
  return rules;
}
