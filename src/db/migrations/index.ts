import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261128105803 } from './Migration20261128105803.js';
import { Migration20261128111543 } from './Migration20261128111543.js';
import { Migration20261128111813 } from './Migration20261128111813.js';
import { Migration20261128111821 } from './Migration20261128111821.js';
import { Migration20261128112001 } from './Migration20261128112001.js';
import { Migration20261128112732 } from './Migration20261128112732.js';
import { Migration20261128113044 } from './Migration20261128113044.js';
import { Migration20261128120506 } from './Migration20261128120506.js';
import { Migration20261128120933 } from './Migration20261128120933.js';
import { Migration20261128121548 } from './Migration20261128121548.js';
import { Migration20261128134347 } from './Migration20261128134347.js';
import { Migration20261128134538 } from './Migration20261128134538.js';
import { Migration20261128134901 } from './Migration20261128134901.js';
import { Migration20261207060000 } from './Migration20261207060000.js';
import { Migration20261207060500 } from './Migration20261207060500.js';
import { Migration20261207061000 } from './Migration20261207061000.js';
import { Migration20261207090000 } from './Migration20261207090000.js';
import { Migration20261207091000 } from './Migration20261207091000.js';
import { Migration20261207095000 } from './Migration20261207095000.js';

/**
 * Every migration, in order. Listed here (not discovered from disk) so they run the same from TypeScript in the
 * tests and from compiled JavaScript under `npm start`. `npm run migration:create` writes new files; add them here.
 */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261128105803', class: Migration20261128105803 },
  { name: 'Migration20261128111543', class: Migration20261128111543 },
  { name: 'Migration20261128111813', class: Migration20261128111813 },
  { name: 'Migration20261128111821', class: Migration20261128111821 },
  { name: 'Migration20261128112001', class: Migration20261128112001 },
  { name: 'Migration20261128112732', class: Migration20261128112732 },
  { name: 'Migration20261128113044', class: Migration20261128113044 },
  { name: 'Migration20261128120506', class: Migration20261128120506 },
  { name: 'Migration20261128120933', class: Migration20261128120933 },
  { name: 'Migration20261128121548', class: Migration20261128121548 },
  { name: 'Migration20261128134347', class: Migration20261128134347 },
  { name: 'Migration20261128134538', class: Migration20261128134538 },
  { name: 'Migration20261128134901', class: Migration20261128134901 },
  { name: 'Migration20261207060000', class: Migration20261207060000 },
  { name: 'Migration20261207060500', class: Migration20261207060500 },
  { name: 'Migration20261207061000', class: Migration20261207061000 },
  { name: 'Migration20261207090000', class: Migration20261207090000 },
  { name: 'Migration20261207091000', class: Migration20261207091000 },
  { name: 'Migration20261207095000', class: Migration20261207095000 },
];
