/**
 * `npm run test:package` (CI): packs the app with electron-builder `--dir` and checks app.asar with
 * asar-check.ts. The Electron runtime cannot be downloaded here, so electron-builder gets a stub
 * Electron distribution (`electronDist`: a placeholder `electron` executable and a `version` file):
 * it copies that as the app's executable and packs app.asar exactly as for a real release.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { extractFile, getRawHeader } from '@electron/asar';
import { checkPackagedApp, MAX_ASAR_BYTES, type PackagedApp } from './asar-check';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(import.meta.url);

interface AsarNode {
  files?: Record<string, AsarNode>;
  size?: number;
}

function run(cmd: string, args: string[]): void {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) throw new Error(`${path.basename(args[0] ?? cmd)} failed (exit ${r.status})`);
}

function stubElectronDist(dir: string): void {
  const version = (require('electron/package.json') as { version: string }).version;
  writeFileSync(path.join(dir, 'electron'), '#!/bin/sh\necho "stub Electron for packaging tests" >&2\nexit 1\n');
  chmodSync(path.join(dir, 'electron'), 0o755);
  writeFileSync(path.join(dir, 'version'), version);
}

function asarFiles(asar: string): Map<string, number> {
  const files = new Map<string, number>();
  const walk = (node: AsarNode, at: string) => {
    for (const [name, child] of Object.entries(node.files ?? {})) {
      if (child.files) walk(child, `${at}/${name}`);
      else files.set(`${at}/${name}`, child.size ?? 0);
    }
  };
  walk(getRawHeader(asar).header as AsarNode, '');
  return files;
}

function packagedApp(asar: string): PackagedApp {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    dependencies: Record<string, string>;
  };
  const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  return {
    files: asarFiles(asar),
    asarBytes: statSync(asar).size,
    read: (file) => extractFile(asar, file.slice(1)).toString('utf8'),
    dependencies: Object.keys(pkg.dependencies),
    lock: new Map(Object.entries(lock.packages)),
  };
}

function main(): number {
  run(process.execPath, [path.join(root, 'scripts/build-if-stale.mjs')]);
  const work = mkdtempSync(path.join(tmpdir(), 'pp-pack-'));
  try {
    const dist = path.join(work, 'electron-dist');
    const output = path.join(work, 'out');
    mkdirSync(dist);
    stubElectronDist(dist);
    const builder = path.join(path.dirname(require.resolve('electron-builder/package.json')), 'cli.js');
    run(process.execPath, [
      builder,
      '--dir',
      '--linux',
      '--publish',
      'never',
      `-c.electronDist=${dist}`,
      `-c.directories.output=${output}`,
    ]);
    const asar = path.join(output, 'linux-unpacked/resources/app.asar');
    const app = packagedApp(asar);
    const modules = [...app.files.keys()].filter((f) => /^\/node_modules\/(@[^/]+\/)?[^/]+\/package\.json$/.test(f));
    console.log(
      `app.asar: ${(app.asarBytes / 2 ** 20).toFixed(1)} MB (limit ${MAX_ASAR_BYTES / 2 ** 20} MB), ${app.files.size} files, ${modules.length} packages`,
    );
    const problems = checkPackagedApp(app);
    for (const p of problems) console.error(`packaging: ${p}`);
    console.log(problems.length === 0 ? 'packaging check: 1 passed, 0 failed' : 'packaging check: 0 passed, 1 failed');
    return problems.length === 0 ? 0 : 1;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

process.exitCode = main();
