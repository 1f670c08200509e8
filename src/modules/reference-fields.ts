import type { EntityClass } from '@mikro-orm/core';
import { Field } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { IdOrKeyScalar, UuidScalar } from '../core/scalars.js';
import type { AnyTenantEntity } from '../db/base.entity.js';

/** How an input's `xxxId` / `xxxIds` field becomes a relation, checked against the caller's organization. */
export interface ReferenceRule {
  property: string;
  entity: EntityClass<AnyTenantEntity>;
  many?: boolean;
  /** Set for keyed records (PRB): the input may name them by id or by key (PRB-3). */
  keyPrefix?: string;
}

interface ReferenceOptions {
  /** The relation of the entity that the field sets (`service` for `serviceId`). */
  property: string;
  many?: boolean;
  keyPrefix?: string;
  description?: string;
  /** Required in the input (a create that must name it); optional otherwise. */
  required?: boolean;
}

const rulesByClass = new WeakMap<object, Record<string, ReferenceRule>>();

/**
 * An input field that names related records by id (or key), declared once: its GraphQL type (UUID, IdOrKey for keyed
 * records, a list of them for `many`) and the relation it becomes after CrudService checks the records exist in the
 * caller's organization.
 */
export function ReferenceField(
  entity: () => EntityClass<AnyTenantEntity>,
  options: ReferenceOptions,
): PropertyDecorator {
  return (target, key) => {
    const scalar = options.keyPrefix ? IdOrKeyScalar : UuidScalar;
    Field(() => (options.many ? [scalar] : scalar), {
      nullable: !options.required,
      ...(options.description ? { description: options.description } : {}),
    })(target, key);
    const rules = rulesByClass.get(target.constructor) ?? {};
    Object.defineProperty(rules, String(key), {
      enumerable: true,
      get: () => ({
        property: options.property,
        entity: entity(),
        ...(options.many ? { many: true } : {}),
        ...(options.keyPrefix ? { keyPrefix: options.keyPrefix } : {}),
      }),
    });
    rulesByClass.set(target.constructor, rules);
  };
}

/** The reference rules of input classes and the classes they extend (a create input and its partial update). */
export function referenceRulesOf(...inputs: ClassType[]): Record<string, ReferenceRule> {
  const rules: Record<string, ReferenceRule> = {};
  for (const input of inputs) {
    for (let c: object | null = input; c && c !== Function.prototype; c = Object.getPrototypeOf(c) as object | null) {
      const own = rulesByClass.get(c);
      if (own) for (const [name, rule] of Object.entries(own)) rules[name] ??= rule;
    }
  }
  return rules;
}

/** Lets a partial input (partial-input.ts) carry the reference rules of the fields it copies. */
export function copyReferenceRules(from: object, to: object, fields: readonly string[]): void {
  const own = rulesByClass.get(from);
  if (!own) return;
  const copied: Record<string, ReferenceRule> = {};
  for (const name of fields) {
    const descriptor = Object.getOwnPropertyDescriptor(own, name);
    if (descriptor) Object.defineProperty(copied, name, descriptor);
  }
  rulesByClass.set(to, copied);
}
