import { IsOptional, getMetadataStorage as validationStorage } from 'class-validator';
import { InputType, getMetadataStorage } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { copyReferenceRules } from './reference-fields.js';

interface PartialOptions<T> {
  /** Fields of the create input that an update cannot change. */
  omit?: ReadonlyArray<keyof T & string>;
  /** Descriptions of the update's fields where they differ from the create's (null: none). */
  descriptions?: Partial<Record<keyof T & string, string | null>>;
}

/**
 * The base of an update input: every field of `base` (a create input) that is not omitted, optional, with the same
 * validators (which apply only to the fields sent) and reference rules. The update declares it as
 * `@InputType() class UpdateXInput extends PartialInputType(CreateXInput, {...}) { ...fields of its own }`.
 */
export function PartialInputType<T extends object>(
  base: ClassType<T>,
  options: PartialOptions<T> = {},
): ClassType<Partial<T>> {
  const omitted = new Set<string>(options.omit ?? []);
  abstract class PartialInput {}
  Object.defineProperty(PartialInput, 'name', { value: `Partial${base.name}` });
  // Registered under its own name; the schema carries only the update type that extends it.
  InputType()(PartialInput);

  const graphql = getMetadataStorage();
  const fields = graphql.fields.filter((f) => f.target === base && !omitted.has(f.name));
  for (const field of fields) {
    const description =
      options.descriptions && field.name in options.descriptions
        ? options.descriptions[field.name as keyof T & string]
        : field.description;
    // No default either: a field left out of an update stays as it is.
    const partialOptions = { ...field.typeOptions, nullable: true };
    delete partialOptions.defaultValue;
    graphql.collectClassFieldMetadata({
      ...field,
      target: PartialInput,
      // type-graphql learns that a field is a list when it first reads the field's type: read it through the create
      // input's field, then take the list flags it set there.
      getType: () => {
        const type = field.getType();
        Object.assign(partialOptions, { array: field.typeOptions.array, arrayDepth: field.typeOptions.arrayDepth });
        return type;
      },
      typeOptions: partialOptions,
      description: description ?? undefined,
    });
  }

  const validation = validationStorage();
  for (const m of validation.getTargetValidationMetadatas(base, '', true, false)) {
    if (m.target !== base || omitted.has(m.propertyName)) continue;
    validation.addValidationMetadata(
      Object.assign(Object.create(Object.getPrototypeOf(m) as object) as typeof m, m, { target: PartialInput }),
    );
  }
  const names = fields.map((f) => f.name);
  for (const name of names) IsOptional()(PartialInput.prototype, name);
  copyReferenceRules(base, PartialInput, names);
  return PartialInput as unknown as ClassType<Partial<T>>;
}
