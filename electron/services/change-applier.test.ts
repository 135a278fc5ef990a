import { describe, expect, it } from 'vitest';
import type { ProgressEvent } from '../../shared/domains/config';
import { testLink } from '../../tests/support/test-link';
import { demo } from '../config/test-support';
import type { RouterPort } from '../core/router-port';
import { memoryJournalStore } from '../plans';
import { ChangeApplier } from './change-applier';
import { createConfigService } from './config/config-service';
import { createDiagnoseService } from './diagnose/diagnose-service';

const ctx = { transport: 'websocket' as const };

const fwd = (protocol: string, dstPort: string, toAddress: string, toPort: string) => ({
  inInterface: 'ether1',
  protocol,
  dstPort,
  toAddress,
  toPort,
  comment: `test ${dstPort}`,
  hairpinSubnet: '',
});

/** Every change the router receives, in order; changes wait while the gate is closed. */
function gated(router: RouterPort) {
  const writes: string[] = [];
  let open!: () => void;
  let gate = new Promise<void>((r) => (open = r));
  const pass = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    await gate;
    writes.push(what);
    return fn();
  };
  const port: RouterPort = {
    ...router,
    add: (m, a) => pass(`add ${m}`, () => router.add(m, a)),
    set: (m, id, a) => pass(`set ${m}`, () => router.set(m, id, a)),
    remove: (m, ids) => pass(`remove ${m}`, () => router.remove(m, ids)),
    command: (m, v, a) => pass(`${v} ${m}`, () => router.command(m, v, a)),
  };
  return {
    port,
    writes,
    open: () => open(),
    close: () => (gate = new Promise<void>((r) => (open = r))),
  };
}

function services(routerKey = 'router-a') {
  const { router, device } = demo('seed', 'nat-type-3');
  const g = gated(router);
  const link = testLink(g.port, { dataKey: routerKey });
  const journal = memoryJournalStore();
  const changes = new ChangeApplier({ router: () => link, journal });
  const configEvents: ProgressEvent[] = [];
  const fixEvents: ProgressEvent[] = [];
  const config = createConfigService({ router: () => link, changes, emit: (_n, e) => configEvents.push(e) });
  const diagnose = createDiagnoseService({
    router: () => link,
    changes,
    emit: (name, e) => name === 'progress' && fixEvents.push(e as ProgressEvent),
  });
  return { g, device, journal, changes, config, diagnose, configEvents, fixEvents };
}

describe('ChangeApplier: one journal and one lock per router', () => {
  it('a configuration apply and a troubleshooter fix on the same router run one after the other', async () => {
    const s = services();
    const d = await s.diagnose.run({ device: '192.168.20.15', symptom: 'nat-type-3' }, ctx);
    const fix = d.findings.find((f) => f.id === 'ssdp-blocked')?.fix;
    expect(fix).toBeTruthy();
    const forward = await s.config.planForward(fwd('tcp', '8080', '192.168.88.10', '80'), ctx);
    s.g.open();
    s.g.close(); // the configuration apply is held at its first change…
    const first = s.config.apply({ planId: forward.id }, ctx);
    await new Promise((r) => setTimeout(r, 20));
    const second = s.diagnose.apply({ planId: fix?.id ?? '' }, ctx);
    // …and the fix is told why it waits.
    expect(s.fixEvents[0]).toMatchObject({ phase: 'waiting', message: expect.stringContaining('Port forward') });
    s.g.open();
    const [a, b] = await Promise.all([first, second]);
    expect(a.outcome).toBe('applied');
    expect(b.outcome).toBe('applied');
    // Every change of the forward went out before the first change of the fix.
    const forwardWrites = forward.steps.length;
    expect(s.g.writes.slice(0, forwardWrites).every((w) => w.includes('/ip/firewall/nat'))).toBe(true);
    expect(s.g.writes.slice(forwardWrites).some((w) => w.includes('/ip/firewall/filter'))).toBe(true);
    // The journal is the last change's: the fix.
    expect((await s.config.journal(undefined, ctx))?.planId).toBe(fix?.id);
  });

  it('runExclusive (the mappings cleanup) waits for a configuration apply on the same router, and says so', async () => {
    const s = services();
    const forward = await s.config.planForward(fwd('tcp', '8080', '192.168.88.10', '80'), ctx);
    s.g.close();
    const first = s.config.apply({ planId: forward.id }, ctx);
    await new Promise((r) => setTimeout(r, 20));
    const waitedFor: string[] = [];
    const order: string[] = [];
    const link = testLink(s.g.port, { dataKey: 'router-a' });
    const cleanup = s.changes.runExclusive(
      link,
      'Clean up stale mappings',
      async () => void order.push(`cleanup after ${s.g.writes.length} writes`),
      (running) => waitedFor.push(running),
    );
    expect(waitedFor).toEqual([expect.stringContaining('Port forward')]);
    s.g.open();
    await Promise.all([first, cleanup]);
    expect(order).toEqual([`cleanup after ${forward.steps.length} writes`]);
    // Another router is not held up.
    const other = testLink(s.g.port, { dataKey: 'router-b' });
    expect(
      await s.changes.runExclusive(
        other,
        'x',
        async () => 'ran',
        () => waitedFor.push('b'),
      ),
    ).toBe('ran');
    expect(waitedFor).toHaveLength(1);
  });

  it('a troubleshooter fix is refused while an earlier change is interrupted (the same guard as configuration)', async () => {
    const s = services();
    s.g.open();
    const d = await s.diagnose.run({ device: '192.168.20.15', symptom: 'nat-type-3' }, ctx);
    const fix = d.findings.find((f) => f.id === 'ssdp-blocked')?.fix;
    const forward = await s.config.planForward(fwd('udp', '3074', '192.168.88.20', '3074'), ctx);
    await s.config.apply({ planId: forward.id }, ctx);
    const j = await s.journal.load();
    await s.journal.save({ ...j!, status: 'interrupted' });
    await expect(s.diagnose.apply({ planId: fix?.id ?? '' }, ctx)).rejects.toMatchObject({
      code: 'busy',
      message: expect.stringContaining('roll it back or resume it'),
    });
  });

  it('a journal is only resumed or rolled back on the router it was written for', async () => {
    const a = services('router-a');
    a.g.open();
    const forward = await a.config.planForward(fwd('tcp', '8443', '192.168.88.10', '443'), ctx);
    await a.config.apply({ planId: forward.id }, ctx);
    const written = await a.journal.load();
    expect(written?.routerKey).toBe('router-a');
    const b = services('router-b');
    b.g.open();
    await b.journal.save(written!);
    await expect(b.config.rollback(undefined, ctx)).rejects.toMatchObject({ code: 'busy' });
    expect((await a.config.rollback(undefined, ctx)).outcome).toBe('rolled-back');
    await expect(a.config.resume(undefined, ctx)).resolves.toBeTruthy();
    const none = services('router-c');
    await expect(none.config.rollback(undefined, ctx)).rejects.toMatchObject({ code: 'no-journal' });
  });
});
