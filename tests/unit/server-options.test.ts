import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SERVER_NODE_ARGS } from '../../bench/lib';

const root = join(__dirname, '..', '..');

/** The node options before `dist/main.js` in a command line. */
function optionsOf(command: string[]): string[] {
  return command.slice(command.indexOf('node') + 1, command.indexOf('dist/main.js'));
}

describe('the node options the server runs with', () => {
  it('are the same for npm start, npm run dev, the image and the bench, and keep the young generation small', () => {
    const scripts = (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
    const start = optionsOf(scripts.start.split(' '));
    const dev = optionsOf(scripts.dev.split(' && ').pop()!.split(' '));
    const cmd = /^CMD (\[.*\])$/m.exec(readFileSync(join(root, 'Dockerfile'), 'utf8'));
    const image = optionsOf(JSON.parse(cmd![1]) as string[]);
    expect(start).toContain('--max-semi-space-size=4');
    expect(dev).toEqual(start);
    expect(image).toEqual(start);
    expect(SERVER_NODE_ARGS).toEqual(start);
  });
});
