/**
 * `engines` and the README tell the truth about Node (issue 14): what the packaged app's dependencies
 * need, which Node the desktop app's main process really runs on, and that CI tests that one.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');
const require = createRequire(import.meta.url);
const semver = require('semver') as {
  satisfies(version: string, range: string): boolean;
  minVersion(range: string): { version: string } | null;
  major(version: string): number;
};

const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
  engines: { node: string };
  config: { electronNodeVersion: string };
};
const lock = JSON.parse(readFileSync(path.join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { dev?: boolean; optional?: boolean; engines?: { node?: string } }>;
};
const electronVersion = (require('electron/package.json') as { version: string }).version;

/**
 * The Node each Electron major ships, from Electron's release notes ("Stack Changes"): Electron 45 →
 * Node v24.21.0 (https://www.electronjs.org/blog/electron-45-0). Bumping Electron fails this test until
 * the table, config.electronNodeVersion (CI's second Node) and the README are updated together.
 */
const NODE_IN_ELECTRON: Record<number, number> = { 45: 24 };

describe('Node versions', () => {
  const lowest = semver.minVersion(pkg.engines.node)?.version ?? '';

  it('every package the app ships runs on the lowest Node that engines allows', () => {
    const tooNew = Object.entries(lock.packages)
      .filter(([key, p]) => key !== '' && !p.dev && p.engines?.node && !semver.satisfies(lowest, p.engines.node))
      .map(([key, p]) => `${key} wants ${p.engines?.node}`);
    expect(tooNew).toEqual([]);
  });

  it('CI’s second Node is the one inside the Electron we build with', () => {
    const electronMajor = semver.major(electronVersion);
    expect(NODE_IN_ELECTRON[electronMajor], `Electron ${electronMajor} is not in the table`).toBeDefined();
    expect(semver.major(pkg.config.electronNodeVersion)).toBe(NODE_IN_ELECTRON[electronMajor]);
    expect(semver.satisfies(pkg.config.electronNodeVersion, pkg.engines.node)).toBe(true);
  });

  it('the README names both', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    expect(readme).toContain(`Node ${pkg.config.electronNodeVersion}`);
    expect(readme).toContain(`Electron ${semver.major(electronVersion)}`);
    expect(readme).toContain(`Node ${lowest.replace(/\.0$/, '')}`);
  });
});
