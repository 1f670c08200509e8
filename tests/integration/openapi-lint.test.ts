import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TestApp, startTestApp } from '../support/app';

/**
 * The served OpenAPI document passes Redocly's `recommended` ruleset (the engine of `redocly lint`,
 * @redocly/openapi-core) with no error and no warning.
 */
interface Problem {
  rule: string;
  severity: 'error' | 'warn';
  message: string;
  where: string | null;
}

const LINT = join(__dirname, '..', 'support', 'openapi-lint.mjs');
let t: TestApp;
let dir: string;
beforeAll(async () => {
  t = await startTestApp();
  dir = mkdtempSync(join(tmpdir(), 'argus-openapi-lint-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await t.close();
});

function lint(document: unknown, name: string): Problem[] {
  const file = join(dir, `${name}.json`);
  writeFileSync(file, JSON.stringify(document));
  return JSON.parse(execFileSync(process.execPath, [LINT, file], { encoding: 'utf8' })) as Problem[];
}

const printed = (problems: Problem[]) => problems.map((p) => `${p.severity} ${p.rule} at ${p.where}: ${p.message}`);

describe('the OpenAPI document under Redocly’s recommended rules', () => {
  it('has no error and no warning', async () => {
    const res = await fetch(`${t.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const problems = lint(await res.json(), 'served');
    expect(printed(problems.filter((p) => p.severity === 'error'))).toEqual([]);
    // The single sign-on start and callback answer only with a redirect (303), which that warning does not count.
    const redirectOnly = (p: Problem) =>
      p.rule === 'operation-2xx-response' && /~1auth~1sso~1(\{slug\}~1start|callback)\//.test(p.where ?? '');
    expect(printed(problems.filter((p) => !redirectOnly(p)))).toEqual([]);
    expect(problems.filter(redirectOnly)).toHaveLength(2);
  });

  it('is checked by a linter that does report the problems it is meant to catch', () => {
    const broken = {
      openapi: '3.0.3',
      info: { title: 'x', version: '1' },
      paths: {
        '/things': {
          get: {
            operationId: 'things',
            responses: {
              '200': {
                description: 'OK',
                content: {
                  'application/json': { schema: { nullable: true, allOf: [{ $ref: '#/components/schemas/Thing' }] } },
                },
              },
            },
          },
        },
      },
      components: { schemas: { Thing: { type: 'object' } } },
    };
    const rules = lint(broken, 'broken').map((p) => p.rule);
    expect(rules).toEqual(
      expect.arrayContaining(['operation-summary', 'security-defined', 'nullable-type-sibling', 'info-license']),
    );
  });
});
