import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');
const DOCS = [
  'README.md',
  'SECURITY.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

describe('the docs', () => {
  it('name only files and folders of the repository that exist', () => {
    const missing: string[] = [];
    for (const doc of DOCS) {
      const text = readFileSync(join(ROOT, doc), 'utf8');
      for (const [, path] of text.matchAll(/`((?:src|tools|tests|frontend|docs)\/[\w./-]+)`/g))
        if (!existsSync(join(ROOT, path))) missing.push(`${doc}: ${path}`);
    }
    expect(DOCS.length).toBeGreaterThan(5);
    expect(missing).toEqual([]);
  });
});
