/**
 * The setup command against the demo router over real sockets (RouterSession), in both profiles, plus
 * upnpc (miniupnpc) as an independent IGD client proving the restriction works, and a router that
 * stops mid-apply.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter, type Profile } from '../demo-router/index';
import { exportConfig } from '../config/test-support';
import { readSnapshot } from '../config/snapshot';
import { buildSetupPlan, recommendedChoices } from '../config/wizard/setup';
import { applyPlan, fileJournalStore, rollbackJournal } from '../plans';
import type { CliIO } from './command';
import { runCli } from './index';
import { connectRouter } from './session-port';
import { deviceRouterPort } from '../../tests/support/device-router-port';

let dir: string;
const routers: DemoRouter[] = [];

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-cli-'));
});
afterEach(async () => {
  for (const r of routers.splice(0)) await r.stop();
  await rm(dir, { recursive: true, force: true });
});

async function start(profile: Profile, stateFile?: string): Promise<DemoRouter> {
  const r = await startDemoRouter({
    profile,
    scenario: 'fresh',
    traffic: false,
    apiSslPort: null,
    ssdpPort: null,
    ...(stateFile ? { stateFile } : {}),
  });
  routers.push(r);
  return r;
}

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = {
    out: (t) => (out += `${t}\n`),
    err: (t) => (err += `${t}\n`),
    env: { PORTPILOT_PASSWORD: '', XDG_STATE_HOME: dir },
  };
  const code = await runCli(args, io);
  return { code, out, err };
}

const target = (r: DemoRouter) => ['--router', `127.0.0.1:${r.endpoints.apiPort}`, '--user', 'admin'];

function upnpc(url: string, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile('/usr/bin/upnpc', ['-u', url, ...args], { timeout: 15_000 }, (_e, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

describe('cli setup: arguments', () => {
  it.each([
    [['setup', '--user', 'admin'], /--router/],
    [['setup', '--router', 'r', '--user', 'admin', '--password', 'x'], /PORTPILOT_PASSWORD/],
    [['setup', '--router', 'r', '--user', 'admin', '--preset', 'gamer'], /unknown preset/],
    [['setup', '--router', 'r:70000', '--user', 'admin'], /not HOST or HOST:PORT/],
    [['setup', '--router', 'r', '--user', 'admin', '--apply', '--rollback'], /only one/],
    [['frobnicate'], /Unknown command/],
  ])('%j → exit 2', async (args, message) => {
    const r = await cli(args);
    expect(r.code).toBe(2);
    expect(r.err).toMatch(message);
  });
});

describe('cli setup against the demo router', () => {
  it('seed/fresh: prints the plan, applies it, second apply is a no-op; upnpc maps a high port and gets 606 for port 80', async () => {
    const r = await start('seed');
    const preview = await cli(['setup', ...target(r), '--preset', 'recommended']);
    expect(preview.code).toBe(0);
    expect(preview.out).toMatch(/^\/ip upnp set enabled=yes$/m);
    expect(r.device.table('/ip/upnp').singleton().enabled).toBe('false');
    const applied = await cli(['setup', ...target(r), '--apply', '--json']);
    expect(applied.code).toBe(0);
    expect(JSON.parse(applied.out)).toMatchObject({ outcome: 'applied', notRolledBack: [] });
    const again = await cli(['setup', ...target(r), '--apply', '--json']);
    expect(JSON.parse(again.out).outcome).toBe('nothing-to-do');
    if (!existsSync('/usr/bin/upnpc')) return;
    const url = r.endpoints.rootDescriptionUrl;
    expect(await upnpc(url, '-e', 'pp high', '-a', '127.0.0.1', '45000', '45000', 'tcp')).toMatch(
      /is redirected to internal 127\.0\.0\.1:45000/,
    );
    expect(await upnpc(url, '-a', '127.0.0.1', '80', '80', 'tcp')).toContain(
      'failed with code 606 (Action not authorized)',
    );
  });

  it('routeros7/fresh: the PortPilot-managed filter rules exist instead of permissions', async () => {
    const r = await start('routeros7');
    expect((await cli(['setup', ...target(r), '--apply'])).code).toBe(0);
    const managed = r.device
      .table('/ip/firewall/filter')
      .all()
      .filter((row) => (row.comment ?? '').startsWith('portpilot:'));
    expect(
      managed.map((row) => [row.action, row.protocol, row['dst-port'], row['connection-nat-state'], row.chain]),
    ).toEqual([
      ['drop', 'tcp', '0-1023', 'dstnat', 'forward'],
      ['drop', 'udp', '0-1023', 'dstnat', 'forward'],
    ]);
    expect(r.device.table('/ip/upnp').singleton().enabled).toBe('true');
  });

  it('a read-only login is refused before anything is sent, with the reason (exit 1); the plan still prints', async () => {
    const r = await start('routeros7');
    r.device.addUser('monitor', 'read');
    const asMonitor = ['--router', `127.0.0.1:${r.endpoints.apiPort}`, '--user', 'monitor'];
    const before = await exportConfig(deviceRouterPort(r.device));
    const run = await cli(['setup', ...asMonitor, '--apply']);
    expect(run.code).toBe(1);
    expect(run.err).toMatch(/Applying the setup needs to change the router\. monitor is in group "read"/);
    expect(await exportConfig(deviceRouterPort(r.device))).toEqual(before);
    expect((await cli(['setup', ...asMonitor])).code).toBe(0);
  });

  it('the router stops mid-apply: the report lists the applied steps; after restart, rollback restores the config exactly', async () => {
    const stateFile = join(dir, 'router.json');
    const journalFile = join(dir, 'journal.json');
    const first = await start('seed', stateFile);
    let link = await connectRouter({
      address: { host: '127.0.0.1', port: first.endpoints.apiPort },
      user: 'admin',
      password: '',
      transport: 'api',
    });
    const before = await exportConfig(link);
    const plan = buildSetupPlan(await readSnapshot(link), recommendedChoices(await readSnapshot(link)));
    let stopping: Promise<void> | null = null;
    const report = await applyPlan(link, plan, {
      journal: fileJournalStore(journalFile),
      onProgress: (e) => {
        if (e.phase === 'applied' && e.index === 2 && !stopping) stopping = first.stop();
      },
    });
    await stopping;
    await link.close();
    routers.splice(routers.indexOf(first), 1);
    expect(report.outcome).toBe('interrupted');
    expect(report.applied).toEqual(plan.steps.slice(0, 3).map((s) => s.id));
    expect(report.interrupted?.message).toMatch(/connection lost/);

    const second = await start('seed', stateFile);
    link = await connectRouter({
      address: { host: '127.0.0.1', port: second.endpoints.apiPort },
      user: 'admin',
      password: '',
      transport: 'api',
    });
    try {
      expect((await exportConfig(link))['/ip/upnp/permissions']).toHaveLength(3);
      const back = await rollbackJournal(link, fileJournalStore(journalFile));
      expect(back.outcome).toBe('rolled-back');
      expect(back.rolledBack).toEqual(report.applied);
      expect(await exportConfig(link)).toEqual(before);
    } finally {
      await link.close();
    }
  });

  it('after an interrupted apply the CLI refuses a new apply, then --resume finishes it and the next apply is a no-op', async () => {
    const stateFile = join(dir, 'router.json');
    const journalFile = join(dir, 'portpilot', 'cli-journal.json');
    const first = await start('seed', stateFile);
    const link = await connectRouter({
      address: { host: '127.0.0.1', port: first.endpoints.apiPort },
      user: 'admin',
      password: '',
      transport: 'api',
    });
    const snapshot = await readSnapshot(link);
    let stopping: Promise<void> | null = null;
    const report = await applyPlan(link, buildSetupPlan(snapshot, recommendedChoices(snapshot)), {
      journal: fileJournalStore(journalFile),
      onProgress: (e) => {
        if (e.phase === 'applied' && e.index === 4 && !stopping) stopping = first.stop();
      },
    });
    await stopping;
    await link.close();
    routers.splice(routers.indexOf(first), 1);
    expect(report.outcome).toBe('interrupted');

    const second = await start('seed', stateFile);
    const refused = await cli(['setup', ...target(second), '--apply']);
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/interrupted.*--rollback or --resume/);
    const resumed = await cli(['setup', ...target(second), '--resume', '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.out)).toMatchObject({ outcome: 'applied' });
    expect(JSON.parse((await cli(['setup', ...target(second), '--apply', '--json'])).out).outcome).toBe(
      'nothing-to-do',
    );
    expect(second.device.table('/ip/upnp').singleton().enabled).toBe('true');
  });

  it('--rollback of a completed apply undoes it and exits 0; with nothing to undo it says so and exits 1', async () => {
    const r = await start('seed');
    const nothing = await cli(['setup', ...target(r), '--rollback']);
    expect(nothing.code).toBe(1);
    expect(nothing.err).toMatch(/Nothing to do: there is no change to roll back/);
    const fresh = r.device.table('/ip/upnp').singleton().enabled;
    expect((await cli(['setup', ...target(r), '--apply'])).code).toBe(0);
    expect(r.device.table('/ip/upnp').singleton().enabled).toBe('true');
    const undone = await cli(['setup', ...target(r), '--rollback', '--json']);
    expect(undone.code).toBe(0);
    expect(JSON.parse(undone.out)).toMatchObject({ outcome: 'rolled-back' });
    expect(r.device.table('/ip/upnp').singleton().enabled).toBe(fresh);
  });
});
