// `npm run cli -- selftest` as a user runs it: a child process against the demo router over real
// sockets. Checks the exit codes 0/1/2, the --json shape, and that the process ends by itself.
import { spawn } from 'node:child_process';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { parseSelftestArgs } from './selftest';

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function cli(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return finish(start(args, env));
}

function start(args: string[], env: Record<string, string> = {}) {
  return spawn(process.execPath, ['--import', 'tsx', 'electron/cli/index.ts', 'selftest', ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finish(child: ReturnType<typeof start>): Promise<Run> {
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => {
    // A run that does not end by itself (a socket left open) is killed and fails the test.
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

interface JsonReport {
  ok: boolean;
  steps: { id: string; status: string; detail: string }[];
  findings: { id: string; severity: string }[];
}

let demo: DemoRouter | null = null;
afterEach(async () => {
  await demo?.stop();
  demo = null;
});

function demoArgs(d: DemoRouter): string[] {
  return ['--gateway-url', d.endpoints.rootDescriptionUrl, '--natpmp-port', String(d.endpoints.natPmp.port), '--json'];
}

describe('cli selftest', () => {
  it('exits 0 with one JSON object when every step passes (router verified through the API)', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', scenario: 'home', traffic: false });
    const run = await cli([...demoArgs(demo), '--router', `127.0.0.1:${demo.endpoints.apiPort}`, '--user', 'admin'], {
      PORTPILOT_PASSWORD: '',
    });
    expect(run.code, run.stderr).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(1);
    const report = JSON.parse(lines[0] ?? '') as JsonReport;
    expect(report.ok).toBe(true);
    expect(report.steps.map((s) => s.id)).toContain('igd-verify-router');
    expect(report.steps.every((s) => s.status === 'pass')).toBe(true);
    for (const s of report.steps) expect(Object.keys(s)).toEqual(expect.arrayContaining(['id', 'status', 'detail']));
    expect(report.findings).toEqual([]);
  }, 60_000);

  it('without --router skips the verify-on-router steps with a warning and still exits 0', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', scenario: 'home', traffic: false });
    const run = await cli(demoArgs(demo));
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(run.code).toBe(0);
    expect(report.steps.find((s) => s.id === 'igd-verify-router')?.status).toBe('skip');
    expect(report.findings).toEqual([expect.objectContaining({ id: 'no-router', severity: 'warn' })]);
  }, 60_000);

  it('exits 1 and reports double-nat behind an ISP box (router WAN 192.168.1.37)', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', scenario: 'nat-type-3', traffic: false });
    const run = await cli(demoArgs(demo));
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout) as JsonReport;
    expect(report.ok).toBe(false);
    expect(report.steps.find((s) => s.id === 'external-ip')).toMatchObject({ status: 'fail' });
    expect(report.findings.find((f) => f.id === 'double-nat')?.severity).toBe('error');
  }, 60_000);

  it('exits 2 on bad arguments, and refuses a --password flag', async () => {
    const bad = await cli(['--gateway-url', 'not a url', '--json']);
    expect(bad.code).toBe(2);
    expect(bad.stdout).toBe('');
    expect(bad.stderr).toMatch(/--gateway-url must be an http:\/\/ URL/);
    const pw = await cli(['--router', '192.168.88.1', '--user', 'admin', '--password', 'x']);
    expect(pw.code).toBe(2);
    expect(pw.stderr).toMatch(/PORTPILOT_PASSWORD/);
  }, 60_000);
});

describe('cli selftest interrupted', () => {
  it('Ctrl-C stops after the current step, removes the permanent test mapping from the router, exits 130', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', scenario: 'home', traffic: false });
    const d = demo;
    const nat = () => d.device.print('/ip/firewall/nat', {}, { user: 'admin', remoteAddress: '127.0.0.1' });
    const before = nat().length;
    const child = start([
      '--gateway-url',
      d.endpoints.rootDescriptionUrl,
      '--natpmp-port',
      String(d.endpoints.natPmp.port),
    ]);
    const done = finish(child);
    // Interrupt as soon as the permanent (lease 0) test mapping exists on the router.
    await vi.waitFor(() => expect(nat().length).toBe(before + 1), { timeout: 20_000, interval: 5 });
    child.kill('SIGINT');
    const run = await done;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('stopping after the current step');
    expect(run.stdout).toMatch(
      /\[PASS\] Clean up: removed the test mapping a failed or stopped step left behind|\[PASS\] Clean up: nothing left behind/,
    );
    expect(run.stdout).toContain('skipped: stopped by the user');
    expect(nat().length).toBe(before);
  }, 60_000);
});

describe('parseSelftestArgs', () => {
  it('reads the router password from PORTPILOT_PASSWORD only', () => {
    const a = parseSelftestArgs(['--router', '192.168.88.1:8729', '--user', 'admin'], { PORTPILOT_PASSWORD: 's3cret' });
    expect(a.router).toEqual({ host: '192.168.88.1', port: 8729, user: 'admin', password: 's3cret' });
    expect(() => parseSelftestArgs(['--router', '192.168.88.1', '--user', 'admin'], {})).toThrow(/PORTPILOT_PASSWORD/);
    expect(() => parseSelftestArgs(['--router', '192.168.88.1'], { PORTPILOT_PASSWORD: '' })).toThrow(/--user/);
    expect(() => parseSelftestArgs(['--natpmp-gateway', '300.1.1.1'], {})).toThrow(/IPv4/);
    expect(() => parseSelftestArgs(['--bogus'], {})).toThrow(/bogus/);
    expect(parseSelftestArgs(['--port', '3074'], {}).options.testPort).toBe(3074);
    expect(() => parseSelftestArgs(['--port', '0'], {})).toThrow(/--port must be a port number/);
    expect(parseSelftestArgs(['--natpmp-gateway', '192.168.88.1', '--no-natpmp'], {}).options).toMatchObject({
      natPmpGateway: '192.168.88.1',
      natPmp: false,
    });
  });

  it('--stun adds the inbound step’s server; a bad one is a usage error', () => {
    expect(parseSelftestArgs(['--stun', 'stun.example.net'], {}).options.stun).toEqual({
      host: 'stun.example.net',
      port: 3478,
    });
    expect(parseSelftestArgs([], {}).options.stun).toBeUndefined();
    expect(() => parseSelftestArgs(['--stun', 'stun.example.net:0'], {})).toThrow(/--stun: .*give HOST or HOST:PORT/);
  });

  it('passes the router’s host on (its LAN address is the NAT-PMP gateway) and the adapter to test from', () => {
    const a = parseSelftestArgs(['--router', '192.168.88.1', '--user', 'admin', '--adapter', 'WLAN'], {
      PORTPILOT_PASSWORD: '',
    });
    expect(a.options).toMatchObject({ routerHost: '192.168.88.1', adapter: 'WLAN' });
    expect(parseSelftestArgs([], {}).options.routerHost).toBeUndefined();
    expect(() => parseSelftestArgs(['--adapter', ' '], {})).toThrow(/--adapter must name an adapter/);
  });
});
