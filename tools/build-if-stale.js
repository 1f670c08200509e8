#!/usr/bin/env node
// Compiles src/ into dist/ only when the sources changed since the last build, so `npm start` on a built checkout
// starts at once. The fingerprint covers every file under src/ (path, size, content hash), the two tsconfig files
// and the installed TypeScript version; it is written to dist/.build-fingerprint after a successful build. tsc runs
// with --incremental (its build info in dist/), so a rebuild after a small change re-checks little.
//
// `--quiet` prints nothing when the build is current. Without src/ (a runtime image) or without TypeScript
// installed (production dependencies only) there is nothing to build here and the script exits 0.
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..');
const src = join(root, 'src');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-fingerprint');
const quiet = process.argv.includes('--quiet');

function files(dir) {
  const out = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...files(path));
    else out.push(path);
  }
  return out.sort();
}

function fingerprint(tscVersion) {
  const hash = createHash('sha256');
  hash.update(`typescript ${tscVersion}\n`);
  for (const name of ['tsconfig.json', 'tsconfig.build.json'])
    hash.update(`${name}\n`).update(readFileSync(join(root, name)));
  for (const file of files(src)) hash.update(`\n${relative(root, file)}\n`).update(readFileSync(file));
  return hash.digest('hex');
}

if (!existsSync(src)) process.exit(0);
let tsc;
try {
  tsc = require.resolve('typescript/bin/tsc', { paths: [root] });
} catch {
  if (!quiet) console.log('build-if-stale: TypeScript is not installed (production dependencies only); nothing built');
  process.exit(0);
}
const tscVersion = require(require.resolve('typescript/package.json', { paths: [root] })).version;
const wanted = fingerprint(tscVersion);
const current =
  existsSync(stampFile) && existsSync(join(dist, 'main.js')) ? readFileSync(stampFile, 'utf8').trim() : '';
if (current === wanted) {
  if (!quiet) console.log('build-if-stale: dist/ is current; not compiling');
  process.exit(0);
}
console.log('build-if-stale: sources changed since the last build; compiling src/ into dist/');
// tsc's incremental build info says what it emitted before: without the output it would not emit it again.
if (!existsSync(join(dist, 'main.js'))) rmSync(join(dist, '.tsbuildinfo'), { force: true });
const started = Date.now();
const result = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.build.json')], {
  stdio: 'inherit',
  cwd: root,
});
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, `${wanted}\n`);
console.log(`build-if-stale: compiled in ${((Date.now() - started) / 1000).toFixed(1)} s`);
