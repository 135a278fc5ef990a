import { execFile, spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseCli, UsageError } from './cli';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * Starts the CLI with tsx, as `npm run demo-router` does, and stops it with SIGTERM after the ready
 * line. tsx is spawned directly (not through npx): npm's exec wrapper re-raises the signal on itself,
 * which would hide the CLI's own exit code.
 */
function runCli(args: string[], onReady?: (ready: Record<string, unknown>) => Promise<void>): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, 'node_modules/.bin/tsx'), ['electron/demo-router/cli.ts', ...args], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let readySeen = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`CLI did not finish: ${stderr}`));
    }, 30_000);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      if (!readySeen && stdout.includes('\n')) {
        readySeen = true;
        const ready = JSON.parse(stdout.split('\n')[0] ?? '') as Record<string, unknown>;
        void (onReady ? onReady(ready) : Promise.resolve()).finally(() => child.kill('SIGTERM'));
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('demo-router CLI', () => {
  it('parses flags with defaults; port 0 = random', () => {
    expect(parseCli([])).toMatchObject({
      host: '127.0.0.1',
      apiPort: 0,
      natpmpPort: 5351,
      natpmpFallback: true,
      profile: 'routeros7',
      scenario: 'home',
      user: 'admin',
      password: '',
    });
    expect(parseCli(['--natpmp-port', '0'])).toMatchObject({ natpmpPort: 0, natpmpFallback: false });
    expect(
      parseCli(['--api-port', '8728', '--profile', 'seed', '--scenario', 'nat-type-3', '--state-file', '/tmp/x.json']),
    ).toMatchObject({
      apiPort: 8728,
      profile: 'seed',
      scenario: 'nat-type-3',
      stateFile: '/tmp/x.json',
    });
    expect(() => parseCli(['--api-port', '70000'])).toThrow(UsageError);
    expect(() => parseCli(['--profile', 'routeros6'])).toThrow('--profile must be routeros7 or seed');
    expect(() => parseCli(['--scenario', 'office'])).toThrow(
      '--scenario must be one of home, fresh, nat-type-3, large',
    );
    expect(() => parseCli(['--frobnicate'])).toThrow(UsageError);
    expect(parseCli(['--igd-version', '2']).igdVersion).toBe(2);
    expect(() => parseCli(['--igd-version', '3'])).toThrow('--igd-version must be 1 or 2');
  });

  it('parses the unknown-behaviour switches; absent ones keep the strictest default', () => {
    expect(parseCli([]).unknowns).toEqual({});
    expect(
      parseCli(['--dynamic-remove', 'allow', '--foreign-delete', 'refuse', '--foreign-add', 'allow']).unknowns,
    ).toEqual({ dynamicRemove: 'allow', foreignDelete: 'refuse', foreignAdd: 'allow' });
    expect(() => parseCli(['--foreign-add', 'yes'])).toThrow('--foreign-add must be allow or refuse, got "yes"');
  });

  it('prints exactly one ready JSON line with every endpoint, serves, and stops cleanly on SIGTERM', async () => {
    let igdStatus = 0;
    const result = await runCli(
      [
        '--api-port',
        '0',
        '--api-ssl-port',
        '0',
        '--igd-port',
        '0',
        '--natpmp-port',
        '0',
        '--scenario',
        'home',
        '--profile',
        'seed',
      ],
      async (ready) => {
        const res = await fetch(String(ready.rootDescriptionUrl));
        igdStatus = res.status;
        await res.text();
      },
    );
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n').filter(Boolean);
    expect(lines).toHaveLength(1);
    const ready = JSON.parse(lines[0] ?? '');
    expect(ready).toMatchObject({ ready: true, host: '127.0.0.1', profile: 'seed', scenario: 'home', user: 'admin' });
    for (const key of ['apiPort', 'apiSslPort']) expect(ready[key]).toBeGreaterThan(0);
    expect(ready.rootDescriptionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gateway\.xml$/);
    expect(ready.natPmp).toMatchObject({ host: '127.0.0.1' });
    expect(ready.natPmp.port).toBeGreaterThan(0);
    expect(igdStatus).toBe(200);
    expect(result.stderr).toContain('SIGTERM');
  });

  it('--help prints the usage on stdout and exits 0 without starting a router', async () => {
    const run = await new Promise<Run>((resolve) =>
      execFile(
        join(ROOT, 'node_modules/.bin/tsx'),
        ['electron/demo-router/cli.ts', '--help'],
        { cwd: ROOT, timeout: 30_000 },
        (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
      ),
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^usage: demo-router \[--host 127\.0\.0\.1\]/);
    expect(run.stderr).toBe('');
  });

  it('exits 2 with a clear message on bad arguments', async () => {
    const result = await runCli(['--profile', 'routeros6']);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain('--profile must be routeros7 or seed, got "routeros6"');
  });
});
