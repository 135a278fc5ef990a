/**
 * diagnose and audit over real sockets: the demo router's API server, the real RouterSession, the
 * CLI spawned as a process (exit codes, JSON shape, password from the environment only).
 */
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter, type Profile, type ScenarioName } from '../demo-router/index';
import { checkIds, auditIds } from '../../shared/domains/diagnose';
import type { CliIO } from './command';
import { runCli } from './index';

const routers = new Map<string, DemoRouter>();

async function router(profile: Profile, scenario: ScenarioName): Promise<DemoRouter> {
  const key = `${profile}/${scenario}`;
  let r = routers.get(key);
  if (!r) {
    r = await startDemoRouter({ profile, scenario, traffic: false, apiSslPort: null, ssdpPort: null });
    routers.set(key, r);
  }
  return r;
}

beforeAll(async () => {
  await router('seed', 'nat-type-3');
  await router('routeros7', 'home');
});
afterAll(async () => {
  for (const r of routers.values()) await r.stop();
});

const target = (r: DemoRouter) => ['--router', `127.0.0.1:${r.endpoints.apiPort}`, '--user', 'admin'];

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIO = { out: (t) => (out += `${t}\n`), err: (t) => (err += `${t}\n`), env: { PORTPILOT_PASSWORD: '' } };
  return { code: await runCli(args, io), out, err };
}

function spawnCli(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--import', 'tsx', 'electron/cli/index.ts', ...args],
      { env: { ...process.env, PORTPILOT_PASSWORD: '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: stdout, err: stderr }),
    );
  });
}

describe('diagnose CLI', () => {
  it('nat-type-3 (seed), spawned: exit 1, JSON findings with the guide’s causes and fixes, Strict prediction', async () => {
    const r = await router('seed', 'nat-type-3');
    const res = await spawnCli([
      'diagnose',
      ...target(r),
      '--device',
      '192.168.20.15',
      '--symptom',
      'nat-type-3',
      '--json',
    ]);
    expect(res.code, res.err).toBe(1);
    const json = JSON.parse(res.out) as {
      findings: Array<{ id: string; status: string; evidence: string[]; fix: boolean }>;
      predictedNatType: { level: string; label: string; reasons: string[] };
    };
    for (const f of json.findings) {
      expect(Object.keys(f).sort()).toEqual(['evidence', 'fix', 'id', 'status']);
      expect(checkIds).toContain(f.id);
      expect(Array.isArray(f.evidence)).toBe(true);
    }
    const by = Object.fromEntries(json.findings.map((f) => [f.id, f]));
    for (const id of [
      'device-not-internal',
      'permission-denies-device',
      'udp-not-allowed',
      'ssdp-blocked',
      'double-nat',
    ])
      expect(by[id]?.status, id).toBe('fail');
    expect(by['device-not-internal']?.fix).toBe(true);
    expect(by['double-nat']?.fix).toBe(false);
    expect(by['permission-denies-device']?.evidence.join(' ')).toContain('block all UDP');
    expect(json.predictedNatType.level).toBe('strict');
    expect(json.predictedNatType.label).toBe('Type 3');
  }, 90_000);

  it('home console (routeros7): exit 0, no failing check, predicted Open; text output names the checks', async () => {
    const r = await router('routeros7', 'home');
    const json = await cli(['diagnose', ...target(r), '--device', '192.168.88.21', '--json']);
    expect(json.code, json.err).toBe(0);
    const parsed = JSON.parse(json.out) as {
      findings: Array<{ status: string }>;
      predictedNatType: { level: string; label: string };
    };
    expect(parsed.findings.filter((f) => f.status === 'fail')).toEqual([]);
    expect(parsed.predictedNatType).toMatchObject({ level: 'open', label: 'Open' });
    const text = await cli(['diagnose', ...target(r), '--device', '192.168.88.21']);
    expect(text.out).toContain('[PASS] The device is on an internal UPnP interface');
    // The id is for support, on its own line after the result, never beside it (issue 13).
    expect(text.out).toContain('check id, for support: device-not-internal');
    expect(text.out).not.toMatch(/\] [a-z]+(-[a-z]+)+ —/);
    expect(text.out).toContain('Predicted NAT type: Open');
  }, 60_000);

  it('without --device examines every recognised console: the planted causes are found and named', async () => {
    const r = await router('seed', 'nat-type-3');
    const res = await cli(['diagnose', ...target(r), '--symptom', 'nat-type-3', '--json']);
    expect(res.code, res.err).toBe(1);
    const json = JSON.parse(res.out) as {
      findings: Array<{ id: string; status: string; device?: string }>;
      consoles: Array<{ address: string; hostName: string }>;
      predictedNatTypes: Array<{ device: string; label: string }>;
    };
    expect(json.consoles.map((c) => c.hostName)).toEqual(['PS5-Guest']);
    for (const id of ['device-not-internal', 'permission-denies-device'])
      expect(json.findings.find((f) => f.id === id)).toMatchObject({ status: 'fail', device: '192.168.20.15' });
    expect(json.findings.find((f) => f.id === 'ssdp-blocked')).not.toHaveProperty('device');
    expect(json.predictedNatTypes).toEqual([expect.objectContaining({ device: '192.168.20.15', label: 'Type 3' })]);
    const text = await cli(['diagnose', ...target(r), '--symptom', 'no-mappings']);
    expect(text.out).toContain('examined every console PortPilot recognises: PS5-Guest (192.168.20.15');
    expect(text.out).toContain('[FAIL] The device is on an internal UPnP interface: PS5-Guest');
  }, 60_000);

  it('bad arguments exit 2 without touching the network', async () => {
    expect((await cli(['diagnose', '--user', 'admin'])).code).toBe(2);
    expect((await cli(['diagnose', '--router', '127.0.0.1', '--user', 'a', '--device', 'ps5'])).code).toBe(2);
    for (const host of ['not a host!!', 'bad_host', '[::zz]:8728', 'a..b']) {
      const r = await cli(['audit', '--router', host, '--user', 'a']);
      expect(r.code).toBe(2);
      expect(r.err).toMatch(/is not HOST or HOST:PORT/);
    }
    for (const bad of ['999.1.1.1', '192.168.1.010', '1.2.3']) {
      expect((await cli(['diagnose', '--router', '127.0.0.1', '--user', 'a', '--device', bad])).code).toBe(2);
    }
    expect((await cli(['diagnose', '--router', '127.0.0.1', '--user', 'a', '--symptom', 'slow'])).code).toBe(2);
    const pw = await cli(['diagnose', '--router', '127.0.0.1', '--user', 'a', '--password', 'x']);
    expect(pw.code).toBe(2);
    expect(pw.err).toContain('PORTPILOT_PASSWORD');
    expect((await cli(['audit', '--router', 'host:99999', '--user', 'a'])).code).toBe(2);
  });

  it('an unreachable router exits 1', async () => {
    const res = await cli(['diagnose', '--router', '127.0.0.1:1', '--user', 'admin']);
    expect(res.code).toBe(1);
  }, 30_000);
});

describe('audit CLI', () => {
  it('routeros7 home: no port restrictions → exit 1, score with reasons, JSON shape', async () => {
    const r = await router('routeros7', 'home');
    const res = await spawnCli(['audit', ...target(r), '--json']);
    expect(res.code, res.err).toBe(1);
    const json = JSON.parse(res.out) as {
      findings: Array<{ id: string; status: string; severity: string; fix: boolean }>;
      score: number;
      reasons: Array<{ id: string; points: number; reason: string }>;
    };
    expect(json.findings.map((f) => f.id).sort()).toEqual([...auditIds].sort());
    expect(json.findings.find((f) => f.id === 'no-port-restrictions')).toMatchObject({
      status: 'fail',
      severity: 'high',
      fix: true,
    });
    expect(json.score).toBe(100 - json.reasons.reduce((n, x) => n + x.points, 0));
    expect(json.reasons.map((x) => x.id)).toContain('no-port-restrictions');
  }, 90_000);

  it('seed nat-type-3 (permissions present, nothing failing): exit 0, text shows the score', async () => {
    const r = await router('seed', 'nat-type-3');
    const res = await cli(['audit', ...target(r)]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toMatch(/Score: \d+\/100/);
  }, 60_000);
});
