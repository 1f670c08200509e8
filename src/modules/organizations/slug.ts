import { randomBytes } from 'node:crypto';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Organization } from '../../db/organization.entity.js';

/** A slug: 2–40 lower-case letters, digits and single hyphens, starting and ending with a letter or digit. */
export const SLUG_PATTERN = /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){1,39}$/;

/** The slug a name suggests: `Acme Corp.` → `acme-corp`. */
export function slugOf(name: string): string {
  const base = name
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, 40)
    .replace(/^-+|-+$/g, '');
  return base.length >= 2 ? base : `org-${base || randomBytes(3).toString('hex')}`.replace(/-+$/, '');
}

/** The name's slug when no organization has it, else the slug with a random suffix (tried until one is free). */
export async function availableSlug(em: EntityManager, name: string): Promise<string> {
  const base = slugOf(name);
  for (let candidate = base, attempt = 0; ; attempt++) {
    if (!(await em.count(Organization, { slug: candidate }, { filters: false }))) return candidate;
    candidate = `${base.slice(0, 33).replace(/-+$/, '')}-${randomBytes(3).toString('hex')}`;
    if (attempt > 20) throw new Error('no free organization slug');
  }
}
