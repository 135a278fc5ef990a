// `npm start` / `npm run serve` / `npm run test:package`: run `electron-vite build` only when a build
// input changed since the last successful build (build-stamp.mjs). `--force` builds anyway.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { clearStamp, inputsDigest, staleReason, writeStamp } from './build-stamp.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const force = process.argv.includes('--force');
const reason = force ? 'asked to (--force)' : staleReason(root);

if (reason === null) {
  process.exit(0);
}
console.log(`Building PortPilot: ${reason}.`);
const digest = inputsDigest(root);
clearStamp(root);
const cli = path.join(
  path.dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')),
  'bin/electron-vite.js',
);
const build = spawnSync(process.execPath, [cli, 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('The build failed (see above); nothing was started.');
  process.exit(build.status ?? 1);
}
writeStamp(root, digest);
