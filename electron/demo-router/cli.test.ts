import { execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RouterSession } from '../router-session';
import { batchedLines, parseCli, UsageError } from './cli';

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
      // Its default data dir is under the config dir: never the real one of whoever runs the tests.
      env: { ...process.env, PORTPILOT_CONFIG_DIR: configDir },
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

let configDir = '';
beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'portpilot-demo-cli-'));
});
afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

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

  it('API-SSL: a self-signed certificate by default, kept under the config dir; --api-ssl-cert none = anonymous DH', () => {
    const env = { PORTPILOT_CONFIG_DIR: '/cfg' };
    expect(parseCli([], env)).toMatchObject({ apiSslCert: 'self-signed', dataDir: join('/cfg', 'demo-router') });
    expect(parseCli(['--data-dir', '/elsewhere'], env).dataDir).toBe('/elsewhere');
    expect(parseCli(['--api-ssl-cert', 'none'], env).apiSslCert).toBe('none');
    expect(() => parseCli(['--api-ssl-cert', 'letsencrypt'], env)).toThrow(
      '--api-ssl-cert must be self-signed or none, got "letsencrypt"',
    );
  });

  it('a profile that pinned the certificate still connects after a restart (default data dir)', async () => {
    const pins: string[] = [];
    const seen: unknown[] = [];
    const connectPinned = async (ready: Record<string, unknown>): Promise<void> => {
      const fingerprint = String(ready.apiSslFingerprint);
      pins.push(fingerprint);
      const session = new RouterSession({
        host: '127.0.0.1',
        port: Number(ready.apiSslPort),
        transport: 'api-ssl',
        user: 'admin',
        password: 'pw',
        pinnedFingerprint: pins[0],
      });
      seen.push(
        await session.connect().then(
          (caps) => caps.tls,
          (err: Error) => err.message,
        ),
      );
      await session.close();
    };
    const args = ['--password', 'pw', '--natpmp-port', '0', '--ssdp-port', '0'];
    for (let i = 0; i < 2; i++) expect((await runCli(args, connectPinned)).code).toBe(0);
    expect(pins).toHaveLength(2);
    expect(pins[0]).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(pins[1]).toBe(pins[0]);
    // Both starts accepted the pin of the first one.
    expect(seen).toEqual([
      { anonymous: false, fingerprint: pins[0] },
      { anonymous: false, fingerprint: pins[0] },
    ]);
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

describe('batchedLines', () => {
  it('writes the lines of one turn of the event loop in one chunk, in order; flush writes what is pending', async () => {
    const chunks: string[] = [];
    const out = batchedLines((c) => chunks.push(c));
    out.log('a');
    out.log('b');
    expect(chunks).toEqual([]);
    await new Promise((r) => setImmediate(r));
    out.log('c');
    out.flush();
    out.flush();
    await new Promise((r) => setImmediate(r));
    expect(chunks).toEqual(['a\nb\n', 'c\n']);
  });
});
