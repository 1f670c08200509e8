#!/usr/bin/env node
// Builds the console (frontend/ → frontend/dist) only when its sources changed since the last build, like
// build-if-stale.js does for the server: the fingerprint covers frontend/src, frontend/public, its index.html,
// package.json, lock file, Vite and TypeScript configuration; it is written to frontend/dist/.build-fingerprint after
// a successful `vite build`. Without frontend/ or without its dependencies installed there is nothing to build.
'use strict';
const { createHash } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { existsSync, readdirSync, readFileSync, statSync, writeFileSync } = require('node:fs');
const { join, relative } = require('node:path');

const root = join(__dirname, '..', 'frontend');
const dist = join(root, 'dist');
const stampFile = join(dist, '.build-fingerprint');
const quiet = process.argv.includes('--quiet');
const INPUTS = ['src', 'public', 'index.html', 'package.json', 'package-lock.json', 'vite.config.ts', 'tsconfig.json'];

function files(path) {
  if (!existsSync(path)) return [];
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path, { withFileTypes: true })
    .map((entry) => join(path, entry.name))
    .sort()
    .flatMap(files);
}

if (!existsSync(join(root, 'package.json'))) process.exit(0);
if (!existsSync(join(root, 'node_modules', 'vite'))) {
  if (!quiet) console.log("build-console-if-stale: the console's dependencies are not installed; nothing built");
  process.exit(0);
}
const hash = createHash('sha256');
for (const file of INPUTS.flatMap((name) => files(join(root, name))))
  hash.update(`\n${relative(root, file)}\n`).update(readFileSync(file));
const wanted = hash.digest('hex');
const current =
  existsSync(stampFile) && existsSync(join(dist, 'index.html')) ? readFileSync(stampFile, 'utf8').trim() : '';
if (current === wanted) {
  if (!quiet) console.log('build-console-if-stale: frontend/dist is current; not building');
  process.exit(0);
}
console.log('build-console-if-stale: the console changed since the last build; building frontend/dist');
const started = Date.now();
const result = spawnSync('npm', ['--prefix', root, 'run', 'build'], { stdio: 'inherit' });
if (result.status !== 0) process.exit(result.status ?? 1);
writeFileSync(stampFile, `${wanted}\n`);
console.log(`build-console-if-stale: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
