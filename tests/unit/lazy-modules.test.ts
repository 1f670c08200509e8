import { execFileSync } from 'node:child_process';
import { join } from 'node:path';

/**
 * The modules of the given packages a fresh process has loaded after building the app and its AI provider (the build,
 * dist/).
 */
function loadedAfterStart(env: Record<string, string>): number {
  const root = join(__dirname, '..', '..');
  const script = `
    require('reflect-metadata');
    require('./dist/app/app.js');
    const { loadConfig } = require('./dist/config/env.js');
    const { createAiProvider } = require('./dist/ai/providers/index.js');
    const config = loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgres://x@127.0.0.1/x', ARGUS_JWT_SECRET: 'x'.repeat(40), ...JSON.parse(process.argv[1]) });
    createAiProvider(config.ai, { info() {} });
    process.stdout.write(String(Object.keys(require.cache).filter((m) => /node_modules\\/(@langchain|langchain|openai|langsmith)\\//.test(m)).length));
  `;
  return Number(execFileSync(process.execPath, ['-e', script, JSON.stringify(env)], { cwd: root, encoding: 'utf8' }));
}

describe('modules loaded at start', () => {
  it('leaves LangChain and the OpenAI client unloaded without a configured provider, and loads them with one', () => {
    expect(loadedAfterStart({})).toBe(0);
    expect(
      loadedAfterStart({ ARGUS_AI_PROVIDER: 'openai', ARGUS_AI_BASE_URL: 'http://127.0.0.1:11434/v1' }),
    ).toBeGreaterThan(100);
  });
});
