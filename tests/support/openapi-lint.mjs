// Lints an OpenAPI document with Redocly's engine (@redocly/openapi-core, the engine of `redocly lint`) and its
// `recommended` ruleset; prints the problems as JSON. A separate process: the package is ESM only.
// Usage: node tests/support/openapi-lint.mjs <openapi.json>
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { createConfig, lintFromString } from '@redocly/openapi-core';

const file = process.argv[2];
const config = await createConfig({ extends: ['recommended'] });
const problems = await lintFromString({
  source: readFileSync(file, 'utf8'),
  absoluteRef: pathToFileURL(file).href,
  config,
});
process.stdout.write(
  JSON.stringify(
    problems.map((p) => ({
      rule: p.ruleId,
      severity: p.severity,
      message: p.message,
      where: p.location?.[0]?.pointer ?? null,
    })),
  ),
);
