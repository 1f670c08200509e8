import type { EntityManager } from '@mikro-orm/postgresql';
import { LockMode } from '@mikro-orm/core';
import type { EntityClass, FilterQuery, RequiredEntityData } from '@mikro-orm/core';
import { AppError } from '../core/errors.js';
import { PageArgs, Page, SortSpec, paginate } from '../db/pagination.js';
import type { Actor, Scope } from '../core/scope.js';
import type { AnyTenantEntity } from '../db/base.entity.js';
import { KEY_PATTERN } from '../core/ids.js';
import { isUuid } from '../core/scalars.js';
import { OrganizationRead, organizationRead, readInOrganization } from '../db/tenancy.js';
import type { ClassType } from 'type-graphql';
import { FilterRule, filterRulesOf } from './list-filters.js';
import { ReferenceRule, referenceRulesOf } from './reference-fields.js';

export interface CrudOptions {
  /** Human name for messages: 'incident'. */
  label: string;
  /** Key prefix (INC) when records have a per-organization key. */
  keyPrefix?: string;
  /** The list's filter input: its fields declare how they narrow the list (list-filters.ts). */
  filter: ClassType;
  /** The create and update inputs: their reference fields become relations (reference-fields.ts). */
  inputs?: ClassType[];
  sort: SortSpec;
}

type Input = Record<string, unknown>;

/**
 * The uniform data rules behind every entity's CRUD: lookup by id or key, filtered keyset lists, reference checks,
 * create/update/delete. Entities with domain rules extend it and override the hooks.
 */
export class CrudService<T extends AnyTenantEntity> {
  private readonly filters: Record<string, FilterRule>;
  private referenceRules: Record<string, ReferenceRule> | null = null;

  constructor(
    readonly entity: EntityClass<T>,
    readonly options: CrudOptions,
  ) {
    this.filters = filterRulesOf(options.filter);
  }

  /** Read on first use: the rules name entity classes that may still be loading when this service is built. */
  private get references(): Record<string, ReferenceRule> {
    this.referenceRules ??= referenceRulesOf(...(this.options.inputs ?? []));
    return this.referenceRules;
  }

  async get(scope: Scope, idOrKey: string): Promise<T> {
    const found = await scope.em.findOne(this.entity, this.whereIdOrKey(idOrKey));
    if (!found) throw AppError.notFound(this.options.label);
    return found;
  }

  async list(scope: Scope, filter: Input | undefined, page: PageArgs, withTotal = false): Promise<Page<T>> {
    return this.listWhere(scope, this.whereFromFilter(filter ?? {}), page, withTotal);
  }

  /** A page of the records that match `where`, in the list's sort. */
  protected listWhere(scope: Scope, where: FilterQuery<T>, page: PageArgs, withTotal: boolean): Promise<Page<T>> {
    return paginate(scope.em, this.entity, where, page, this.options.sort, withTotal);
  }

  async create(scope: Scope, input: Input): Promise<T> {
    const em = scope.em;
    return em.transactional(async (tem) => {
      const data = await this.toEntityData(tem, input);
      const record = tem.create(
        this.entity,
        (await this.beforeCreate(tem, scope.actor!, data)) as RequiredEntityData<T>,
      );
      await tem.flush();
      await this.afterCreate(tem, scope.actor!, record, input);
      await tem.flush();
      return record;
    });
  }

  async update(scope: Scope, idOrKey: string, input: Input): Promise<T> {
    return scope.em.transactional(async (tem) => {
      const record = await tem.findOne(this.entity, this.whereIdOrKey(idOrKey), {
        lockMode: LockMode.PESSIMISTIC_WRITE,
      });
      if (!record) throw AppError.notFound(this.options.label);
      const data = await this.toEntityData(tem, input);
      await this.applyUpdate(tem, scope.actor!, record, data, input);
      await tem.flush();
      return record;
    });
  }

  async remove(scope: Scope, idOrKey: string): Promise<boolean> {
    const record = await this.get(scope, idOrKey);
    await scope.em.remove(record).flush();
    return true;
  }

  /** Hook: complete the data of a new record (keys, defaults, derived fields). */
  protected async beforeCreate(_em: EntityManager, _auth: Actor, data: Input): Promise<Input> {
    return data;
  }

  /** Hook: side records written in the same transaction (timeline entries, events). */
  protected async afterCreate(_em: EntityManager, _auth: Actor, _record: T, _input: Input): Promise<void> {}

  /** Hook: apply a partial update; only the fields sent change. */
  protected async applyUpdate(em: EntityManager, _auth: Actor, record: T, data: Input, _input: Input): Promise<void> {
    em.assign(record, data as never);
  }

  whereIdOrKey(idOrKey: string): FilterQuery<T> {
    if (isUuid(idOrKey)) return { id: idOrKey.toLowerCase() } as FilterQuery<T>;
    const match = KEY_PATTERN.exec(idOrKey.toUpperCase());
    if (!match || match[1] !== this.options.keyPrefix) {
      throw AppError.validation(
        'id',
        this.options.keyPrefix ? `must be a UUID or a key such as ${this.options.keyPrefix}-1` : 'must be a UUID',
      );
    }
    return { number: Number(match[2]) } as FilterQuery<T>;
  }

  whereFromFilter(filter: Input): FilterQuery<T> {
    const conditions: Record<string, unknown>[] = [];
    for (const [name, value] of Object.entries(filter)) {
      if (value === undefined || value === null) continue;
      const rule = this.filters[name];
      if (!rule) throw AppError.validation(name, 'is not a filter of this list');
      switch (rule.kind) {
        case 'in':
          conditions.push(
            rule.keyPrefix
              ? whereIdsOrKeys(rule.property, value as string[], rule.keyPrefix)
              : { [rule.property]: { $in: value as unknown[] } },
          );
          break;
        case 'eq':
          conditions.push({ [rule.property]: value });
          break;
        case 'after':
          conditions.push({ [rule.property]: { $gte: value } });
          break;
        case 'before':
          conditions.push({ [rule.property]: { $lt: value } });
          break;
        case 'contains':
          conditions.push({ [rule.property]: { $contains: value as unknown[] } });
          break;
        case 'text': {
          const search: unknown = value;
          const pattern = `%${String(search).replace(/[\\%_]/g, (c) => '\\' + c)}%`;
          conditions.push({ $or: rule.properties.map((p) => ({ [p]: { $ilike: pattern } })) });
          break;
        }
      }
    }
    return (conditions.length ? { $and: conditions } : {}) as FilterQuery<T>;
  }

  /** Input fields become entity data; `xxxId(s)` fields become references after checking they exist here. */
  protected async toEntityData(em: EntityManager, input: Input): Promise<Input> {
    const data: Input = {};
    const rules = this.references;
    const properties = em.getMetadata().get(this.entity.name).properties as Record<
      string,
      { nullable?: boolean } | undefined
    >;
    for (const [field, value] of Object.entries(input)) {
      if (value === undefined) continue;
      const ref = rules[field];
      if (!ref) {
        if (value === null && properties[field] && !properties[field].nullable)
          throw AppError.validation(field, 'must not be null');
        data[field] = value;
        continue;
      }
      if (value === null) {
        data[ref.property] = ref.many ? [] : null;
        continue;
      }
      const values = ref.many ? [...new Set(value as string[])] : [value as string];
      const found = await findByIdsOrKeys(em, ref.entity, values, field, ref.keyPrefix);
      data[ref.property] = ref.many ? [...new Set(found)] : found[0];
    }
    return data;
  }
}

const humanName = (className: string) =>
  className.replace(/[A-Z]/g, (c, i: number) => (i ? ' ' : '') + c.toLowerCase());

function keyOf(record: object, prefix: string): string | undefined {
  const number = (record as { number?: number }).number;
  return number === undefined ? undefined : `${prefix}-${number}`;
}

/**
 * A condition matching records by id or by key: `property` is `id` for the records themselves, or a relation name
 * (`incident`) to match through it. Keys of another prefix are a 400.
 */
function whereIdsOrKeys(
  property: string,
  refs: string[],
  keyPrefix?: string,
  field = `${property}Id`,
): Record<string, unknown> {
  const ids: string[] = [];
  const numbers: number[] = [];
  for (const ref of refs) {
    if (isUuid(ref)) ids.push(ref.toLowerCase());
    else {
      const match = KEY_PATTERN.exec(ref.toUpperCase());
      if (!keyPrefix || !match || match[1] !== keyPrefix) {
        throw AppError.validation(
          field,
          keyPrefix ? `must be a UUID or a key such as ${keyPrefix}-1` : 'must be a UUID',
        );
      }
      numbers.push(Number(match[2]));
    }
  }
  const byNumber = property === 'id' ? { number: { $in: numbers } } : { [property]: { number: { $in: numbers } } };
  const byId = { [property]: { $in: ids } };
  if (!numbers.length) return byId;
  if (!ids.length) return byNumber;
  return { $or: [byId, byNumber] };
}

/**
 * Records named by id or, for keyed entities, by key (INC-3), in the order given and within the caller's organization.
 * A name that matches nothing here (missing, another organization's, a key of another kind) is a 400 naming the field.
 */
export async function findByIdsOrKeys<E extends AnyTenantEntity>(
  em: EntityManager,
  entity: EntityClass<E>,
  values: string[],
  field: string,
  keyPrefix?: string,
): Promise<E[]> {
  if (!values.length) return [];
  // Ids only, the usual case (every incident creation with a service): hand-written conditions, no built query.
  if (values.every(isUuid)) return (await readInOrganization(em, referencedById(entity, values, field)))[0];
  return inOrderGiven(
    entity,
    await em.find(entity, whereIdsOrKeys('id', values, keyPrefix, field) as never),
    values,
    field,
    keyPrefix,
  );
}

/** findByIdsOrKeys of ids (UUIDs) as a read, to run with others in one round trip (readInOrganization). */
export function referencedById<E extends AnyTenantEntity>(
  entity: EntityClass<E>,
  ids: string[],
  field: string,
): OrganizationRead<E[]> {
  return organizationRead(entity, '"id" in (?)', [ids.map((v) => v.toLowerCase())], (found) =>
    inOrderGiven(entity, found, ids, field),
  );
}

function inOrderGiven<E extends AnyTenantEntity>(
  entity: EntityClass<E>,
  found: E[],
  values: string[],
  field: string,
  keyPrefix?: string,
): E[] {
  return values.map((value) => {
    const record = found.find(
      (f) => f.id === value.toLowerCase() || (keyPrefix !== undefined && keyOf(f, keyPrefix) === value.toUpperCase()),
    );
    if (!record)
      throw AppError.validation(field, `refers to no ${humanName(entity.name)} of this organization: ${value}`);
    return record;
  });
}
