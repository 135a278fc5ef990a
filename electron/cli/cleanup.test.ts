/**
 * `cli cleanup` over real sockets: the demo router's API and IGD, the real RouterSession, the CLI
 * spawned as a process (exit codes, JSON shape, the password from the environment only, what each
 * router allowed kept in the config folder).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter, type Unknowns } from '../demo-router/index';
import { DATA_FILES } from '../storage';
import type { CliIO } from './command';
import { runCli } from './index';

let configDir = '';
beforeAll(async () => {
  configDir = await mkdtemp(join(tmpdir(), 'pp-cli-cleanup-'));
});
afterAll(async () => {
  await rm(configDir, { recursive: true, force: true });
});

const routers: DemoRouter[] = [];
afterAll(async () => {
  for (const r of routers.splice(0)) await r.stop();
});

async function router(unknowns: Partial<Unknowns> = {}): Promise<DemoRouter> {
  const r = await startDemoRouter({ profile: 'routeros7', unknowns, traffic: false, apiSslPort: null, ssdpPort: null });
  routers.push(r);
  return r;
}

const target = (r: DemoRouter) => [
  'cleanup',
  '--router',
  `127.0.0.1:${r.endpoints.apiPort}`,
  '--user',
  'admin',
  '--gateway-url',
  r.endpoints.rootDescriptionUrl,
];

function spawnCli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'electron/cli/index.ts', ...args],
      { env: { ...process.env, PORTPILOT_PASSWORD: '', PORTPILOT_CONFIG_DIR: configDir }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const env = { PORTPILOT_PASSWORD: '', PORTPILOT_CONFIG_DIR: configDir };
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env };
  return { code: await runCli(args, io), out, err };
}

const STALE = ['tcp/51413', 'udp/26712', 'udp/51413', 'udp/9307'];
const storeIds = (r: DemoRouter) => r.device.backend.store.list().map((m) => `${m.protocol}/${m.externalPort}`);

describe('cleanup CLI', () => {
  it('bad arguments exit 2 with the usage', async () => {
    const r = await router();
    for (const args of [
      [...target(r), '--only', 'nonsense'],
      ['cleanup', '--user', 'admin'],
      [...target(r), '--gateway-url', 'not a url'],
      [...target(r), '--password', 'x'],
    ]) {
      const res = await cli(args);
      expect(res.code, args.join(' ')).toBe(2);
      expect(res.err).toContain('Usage: npm run -s cli -- cleanup');
    }
  });

  it('without --apply prints the plan and changes nothing (spawned, JSON)', async () => {
    const r = await router();
    const before = storeIds(r).sort();
    const res = await spawnCli([...target(r), '--json']);
    expect(res.code, res.err).toBe(0);
    const json = JSON.parse(res.out) as Record<string, unknown> & { targets: Array<{ id: string; reasons: string[] }> };
    expect(json).toMatchObject({
      strategy: 'flush-and-restore',
      tryFirst: ['api-remove', 'igd-delete'],
      restore: 0,
      needsAcceptLoss: true,
    });
    expect(json.targets.map((t) => t.id).sort()).toEqual(STALE);
    expect(json.targets[0]?.reasons).toEqual(['owner-gone']);
    expect(storeIds(r).sort()).toEqual(before);
  });

  it('--only idle: no stale mapping has that reason here, nothing to do', async () => {
    const r = await router();
    const res = await cli([...target(r), '--only', 'idle', '--apply']);
    expect(res.code).toBe(0);
    expect(res.out).toContain('No stale mappings to clean up');
  });

  it('a plan that loses mappings needs --accept-loss; with it, exit 1 and each unrestored mapping says what to do', async () => {
    const r = await router();
    const refused = await cli([...target(r), '--apply']);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('Run again with --accept-loss');
    expect(storeIds(r)).toHaveLength(16);
    const res = await cli([...target(r), '--apply', '--accept-loss', '--json']);
    expect(res.code).toBe(1);
    const json = JSON.parse(res.out) as {
      strategy: string;
      removed: unknown[];
      restored: unknown[];
      failed: Array<{ id: string; selected: boolean; action: string | null }>;
    };
    expect(Object.keys(json)).toEqual(['strategy', 'removed', 'restored', 'failed']);
    expect(json.strategy).toBe('flush-and-restore');
    expect(json.removed).toHaveLength(4);
    expect(json.restored).toEqual([]);
    expect(json.failed).toHaveLength(10);
    expect(json.failed.every((f) => !f.selected && f.action?.includes('asks for it again'))).toBe(true);
  });

  it('--apply on a router that restores on behalf of devices: exit 0, removed 4, restored 10; the answers are remembered', async () => {
    const r = await router({ foreignAdd: 'allow' });
    const res = await spawnCli([...target(r), '--apply', '--json']);
    expect(res.code, res.err).toBe(0);
    const json = JSON.parse(res.out) as {
      strategy: string;
      removed: Array<{ id: string; how: string }>;
      restored: Array<{ by: string }>;
      failed: unknown[];
    };
    expect(json.strategy).toBe('flush-and-restore');
    expect(json.removed.map((x) => x.id).sort()).toEqual(STALE);
    expect(json.restored).toHaveLength(10);
    expect(json.restored.every((x) => x.by === 'portpilot')).toBe(true);
    expect(json.failed).toEqual([]);
    for (const id of STALE) expect(storeIds(r)).not.toContain(id);
    const learned = JSON.parse(await readFile(join(configDir, DATA_FILES.cleanupCapabilities), 'utf8')) as {
      routers: Record<string, { foreignAdd: string }>;
    };
    expect(Object.values(learned.routers).some((x) => x.foreignAdd === 'allowed')).toBe(true);
    // Text output names the plan the second time without "not tried before".
    const again = await cli([...target(r)]);
    expect(again.out).toContain('No stale mappings to clean up');
  });
});
