import { afterEach, describe, expect, it } from 'vitest';
import type { PayloadOf } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { selftestDomain, SelfTestReport } from '../../../shared/domains/selftest';
import { startDemoRouter, type DemoRouter } from '../../demo-router/index';
import { fakeWorld } from '../../selftest/test-fakes';
import { deviceRouterPort } from '../../../tests/support/device-router-port';
import { adapterViews, createSelfTestService, resolveOptions } from './selftest-service';
import { FAKE_PC } from '../../selftest/test-fakes';
import { testLink } from '../../../tests/support/test-link';

type Events = typeof selftestDomain.events;
type Emitted = { name: 'step'; payload: PayloadOf<Events['step']> } | { name: 'finished'; payload: SelfTestReport };

const ctx = { transport: 'websocket' as const };

function recorder() {
  const events: Emitted[] = [];
  let resolveFinished: (r: SelfTestReport) => void = () => {};
  const finished = new Promise<SelfTestReport>((r) => (resolveFinished = r));
  const emit = ((name: 'step' | 'finished', payload: unknown) => {
    events.push({ name, payload } as Emitted);
    if (name === 'finished') resolveFinished(payload as SelfTestReport);
  }) as Parameters<typeof createSelfTestService>[0]['emit'];
  return { events, emit, finished };
}

let demo: DemoRouter | null = null;
afterEach(async () => {
  await demo?.stop();
  demo = null;
});

describe('selftest service', () => {
  it('streams step events, refuses a second start while running (busy), and keeps the last report', async () => {
    const w = fakeWorld();
    const rec = recorder();
    const svc = createSelfTestService({
      emit: rec.emit,
      router: () => (w.router ? testLink(w.router) : null),
      makePorts: () => w.ports,
    });
    expect(await svc.last(undefined, ctx)).toBeNull();
    const { runId } = await svc.start({}, ctx);
    await expect(svc.start(undefined, ctx)).rejects.toEqual(expect.any(ContractError));
    await expect(svc.start(undefined, ctx)).rejects.toMatchObject({ code: 'busy' });
    const running = await svc.last(undefined, ctx);
    expect(running?.running).toBe(true);
    const final = await rec.finished;
    await svc.dispose();
    expect(final).toMatchObject({ runId, ok: true, running: false });
    expect(final.text).toContain('PASSED');
    const steps = rec.events.filter((e) => e.name === 'step');
    expect(steps.length).toBe(2 * final.steps.length);
    expect(steps.every((e) => e.name === 'step' && e.payload.runId === runId)).toBe(true);
    expect(await svc.last(undefined, ctx)).toEqual(final);
    expect(await svc.cancel(undefined, ctx)).toBe(false); // nothing runs
  });

  it('cancel stops a running test after its current step and still cleans up', async () => {
    const w = fakeWorld();
    let release: () => void = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const find = w.ports.findGateways;
    w.ports.findGateways = async (o) => (await gate, find(o));
    const rec = recorder();
    const svc = createSelfTestService({
      emit: rec.emit,
      router: () => (w.router ? testLink(w.router) : null),
      makePorts: () => w.ports,
    });
    await svc.start(undefined, ctx);
    expect(await svc.cancel(undefined, ctx)).toBe(true);
    release();
    const final = await rec.finished;
    expect(final).toMatchObject({ cancelled: true, ok: false, running: false });
    expect(final.steps.find((s) => s.id === 'discover')?.status).toBe('pass'); // the current step finished
    expect(final.steps.find((s) => s.id === 'igd-add')?.detail).toBe('skipped: stopped by the user');
    await svc.dispose();
  });

  it('inbound: refused with no-consent (nothing runs) until a STUN server is agreed; then the step is in the report', async () => {
    const w = fakeWorld();
    const rec = recorder();
    let agreed: { host: string; port: number } | null = null;
    const svc = createSelfTestService({
      emit: rec.emit,
      router: () => (w.router ? testLink(w.router) : null),
      makePorts: () => w.ports,
      stunServer: async () => agreed,
    });
    await expect(svc.start({ inbound: true }, ctx)).rejects.toMatchObject({ code: 'no-consent' });
    expect(await svc.last(undefined, ctx)).toBeNull();
    expect(rec.events).toEqual([]);
    agreed = { host: '198.51.100.1', port: 3478 };
    await svc.start({ inbound: true }, ctx);
    const pending = await svc.last(undefined, ctx);
    expect(pending?.steps.map((s) => s.id).slice(-2)).toEqual(['inbound', 'cleanup']);
    const final = await rec.finished;
    await svc.dispose();
    // The fake world has no UDP sockets: the step was asked for (opts.stun) and says why it did not run.
    expect(final.steps.find((s) => s.id === 'inbound')?.detail).toMatch(/no UDP sockets for STUN/);
    // Without the option the step is not in the list at all.
    await svc.start({}, ctx);
    expect((await svc.last(undefined, ctx))?.steps.some((s) => s.id === 'inbound')).toBe(false);
    await svc.dispose();
  });

  it('fills in the demo router endpoints unless the user gave a gateway', () => {
    const demoEp = {
      rootDescriptionUrl: 'http://127.0.0.1:4000/gateway.xml',
      natPmp: { host: '127.0.0.1', port: 4001 },
    };
    expect(resolveOptions({}, demoEp)).toEqual({
      gatewayUrl: demoEp.rootDescriptionUrl,
      gatewayUrlFrom: 'demo',
      natPmpGateway: '127.0.0.1',
      natPmpPort: 4001,
    });
    // The field left empty (the screen sends nothing) is the demo's URL, and not "given by hand" (issue 13).
    expect(resolveOptions({ gatewayUrl: '' }, demoEp)).toMatchObject({ gatewayUrlFrom: 'demo' });
    expect(resolveOptions({ gatewayUrl: 'http://10.0.0.1/x.xml', natPmpGateway: '10.0.0.1' }, demoEp)).toEqual({
      gatewayUrl: 'http://10.0.0.1/x.xml',
      natPmpGateway: '10.0.0.1',
    });
    expect(resolveOptions(undefined, null)).toEqual({});
    expect(resolveOptions({ inbound: true }, null)).toEqual({});
  });

  it('passes the connected router’s host on: its LAN address is the NAT-PMP gateway (issue 15)', async () => {
    expect(resolveOptions({ adapter: 'WLAN' }, null, '192.168.88.1')).toEqual({
      adapter: 'WLAN',
      routerHost: '192.168.88.1',
    });
    const w = fakeWorld();
    const rec = recorder();
    const seen: string[] = [];
    const natPmpClient = w.ports.natPmpClient;
    w.ports.natPmpClient = (t) => (seen.push(t.host), natPmpClient(t));
    const router = w.router;
    if (!router) throw new Error('fake router expected');
    const svc = createSelfTestService({
      emit: rec.emit,
      router: () => testLink(router, { ref: { host: '81.2.69.142' } }),
      makePorts: () => w.ports,
    });
    await svc.start(undefined, ctx);
    const final = await rec.finished;
    await svc.dispose();
    expect(seen).toEqual(['192.168.88.1']); // the router's /ip/address on this PC's subnet, not the WAN address
    expect(final.steps.find((s) => s.id === 'discover')?.evidence.join('\n')).toContain(
      'PortPilot is connected to it at 81.2.69.142',
    );
  });

  it('lists this PC’s adapters for the user to choose from, saying which are searched by default', async () => {
    const svc = createSelfTestService({ emit: recorder().emit, router: () => null, networkInterfaces: () => FAKE_PC });
    expect(await svc.adapters(undefined, ctx)).toEqual([
      { name: 'Ethernet', address: '192.168.88.30/24', kind: 'physical', why: null, searchedByDefault: true },
      {
        name: 'vEthernet (WSL)',
        address: '172.29.160.1/20',
        kind: 'virtual',
        why: 'Hyper-V / WSL virtual switch',
        searchedByDefault: false,
      },
    ]);
    expect(
      adapterViews({
        lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '', internal: true, cidr: null }],
      }),
    ).toEqual([]);
  });

  it('passes every step against the embedded demo router over real sockets', async () => {
    demo = await startDemoRouter({ host: '127.0.0.1', profile: 'seed', traffic: false });
    const d = demo;
    const rec = recorder();
    const svc = createSelfTestService({
      emit: rec.emit,
      router: () => testLink(deviceRouterPort(d.device), { endpoints: d.endpoints }),
    });
    await svc.start(undefined, ctx);
    const final = await rec.finished;
    await svc.dispose();
    expect(final.steps.filter((s) => s.status !== 'pass')).toEqual([]);
    expect(final.ok).toBe(true);
  });
});
