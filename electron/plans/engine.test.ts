import { describe, expect, it } from 'vitest';
import type { RouterPort } from '../core/router-port';
import { demo, exportConfig } from '../config/test-support';
import {
  applyPlan,
  JournalError,
  memoryJournalStore,
  renderScript,
  resumeJournal,
  rollbackJournal,
  step,
  type Plan,
  type ProgressEvent,
} from './index';

const plan = (steps: Plan['steps']): Plan => ({
  id: 'p1',
  title: 'test',
  steps,
  flush: { upnp: 0, natPmp: 0 },
  warnings: [],
});

const addIf = (iface: string, type: string) =>
  step({
    id: `add-${iface}`,
    description: `add ${iface}`,
    op: { verb: 'add', menu: '/ip/upnp/interfaces', attrs: { interface: iface, type } },
    restartsUpnp: true,
  });
const enable = step({
  id: 'enable',
  description: 'enable',
  op: { verb: 'set', menu: '/ip/upnp', find: null, attrs: { enabled: 'yes' } },
});

/** A port whose connection "drops" before the n-th change is sent. */
function dropsAfter(router: RouterPort, n: number): RouterPort & { writes: number } {
  let writes = 0;
  const down = () => Object.assign(new Error('connection lost'), { kind: 'down' });
  const guard = async <T>(fn: () => Promise<T>): Promise<T> => {
    if (++wrapped.writes > n) throw down();
    return fn();
  };
  const wrapped = {
    get writes() {
      return writes;
    },
    set writes(v: number) {
      writes = v;
    },
    capabilities: router.capabilities,
    print: router.print.bind(router),
    printEach: router.printEach.bind(router),
    listen: router.listen.bind(router),
    add: (m: string, a: Record<string, string>) => guard(() => router.add(m, a)),
    set: (m: string, id: string | null, a: Record<string, string>) => guard(() => router.set(m, id, a)),
    remove: (m: string, ids: string[]) => guard(() => router.remove(m, ids)),
    command: (m: string, v: string, a?: Record<string, string>) => guard(() => router.command(m, v, a)),
  };
  return wrapped;
}

describe('change plan engine', () => {
  it('applies step by step with progress, and a second apply changes nothing', async () => {
    const { router } = demo('seed', 'fresh');
    const events: ProgressEvent[] = [];
    const p = plan([addIf('bridge-lan', 'internal'), addIf('ether1', 'external'), enable]);
    const first = await applyPlan(router, p, { onProgress: (e) => events.push(e) });
    expect(first.outcome).toBe('applied');
    expect(first.applied).toEqual(['add-bridge-lan', 'add-ether1', 'enable']);
    expect(events.filter((e) => e.phase === 'applied').map((e) => e.index)).toEqual([0, 1, 2]);
    const before = await exportConfig(router);
    const second = await applyPlan(router, p);
    expect(second.outcome).toBe('nothing-to-do');
    expect(second.alreadyDone).toHaveLength(3);
    expect(await exportConfig(router)).toEqual(before);
  });

  it('stops at the first failure and rolls back the applied steps in reverse', async () => {
    const { router } = demo('seed', 'fresh');
    const before = await exportConfig(router);
    const events: ProgressEvent[] = [];
    const p = plan([
      enable,
      addIf('bridge-lan', 'internal'),
      addIf('no-such-if', 'external'),
      addIf('ether1', 'external'),
    ]);
    const report = await applyPlan(router, p, { onProgress: (e) => events.push(e) });
    expect(report.outcome).toBe('rolled-back');
    expect(report.failure).toEqual({
      stepId: 'add-no-such-if',
      message: expect.stringContaining('input does not match any value of interface'),
    });
    expect(report.applied).toEqual(['enable', 'add-bridge-lan']);
    expect(report.rolledBack).toEqual(['enable', 'add-bridge-lan']);
    expect(report.steps.map((s) => s.result)).toEqual(['rolled-back', 'rolled-back', 'failed', 'not-run']);
    expect(events.filter((e) => e.phase === 'rolled-back').map((e) => e.stepId)).toEqual(['add-bridge-lan', 'enable']);
    expect(await exportConfig(router)).toEqual(before);
  });

  it('reports a rollback that cannot be done', async () => {
    const { router } = demo('seed', 'fresh');
    // The inverse of this add removes the row by id; a port that refuses removes makes it fail.
    const refusing: RouterPort = {
      ...router,
      remove: async () => {
        throw Object.assign(new Error('failure: not allowed'), { category: 4 });
      },
    };
    const report = await applyPlan(refusing, plan([addIf('bridge-lan', 'internal'), addIf('nope', 'external')]));
    expect(report.outcome).toBe('rollback-incomplete');
    expect(report.notRolledBack).toEqual([{ id: 'add-bridge-lan', error: 'failure: not allowed' }]);
  });

  it('undoes removes and moves: rows come back with their fields and position', async () => {
    const { router } = demo('seed', 'home');
    const before = await exportConfig(router);
    const perms = await router.print('/ip/upnp/permissions');
    const [a, b, , d] = perms.map((r) => r['.id'] ?? '');
    const p = plan([
      step({
        id: 'rm-b',
        description: 'remove b',
        op: { verb: 'remove', menu: '/ip/upnp/permissions', find: { id: b ?? '' } },
      }),
      step({
        id: 'mv-d',
        description: 'move d first',
        op: { verb: 'move', menu: '/ip/upnp/permissions', find: { id: d ?? '' }, before: { id: a ?? '' } },
      }),
      step({
        id: 'rm-a',
        description: 'remove a',
        op: { verb: 'remove', menu: '/ip/upnp/permissions', find: { id: a ?? '' } },
      }),
      step({
        id: 'bad',
        description: 'fails',
        op: { verb: 'set', menu: '/ip/upnp', find: null, attrs: { enabled: 'maybe' } },
      }),
    ]);
    const report = await applyPlan(router, p);
    expect(report.rolledBack).toEqual(['rm-b', 'mv-d', 'rm-a']);
    expect(await exportConfig(router)).toEqual(before);
  });

  it('connection lost mid-apply: the journal keeps the applied steps; rollback restores, resume finishes', async () => {
    for (const next of ['rollback', 'resume'] as const) {
      const { router } = demo('seed', 'fresh');
      const before = await exportConfig(router);
      const store = memoryJournalStore();
      const p = plan([addIf('bridge-lan', 'internal'), enable, addIf('ether1', 'external')]);
      const report = await applyPlan(dropsAfter(router, 2), p, { journal: store });
      expect(report.outcome).toBe('interrupted');
      expect(report.applied).toEqual(['add-bridge-lan', 'enable']);
      expect(report.interrupted?.stepId).toBe('add-ether1');
      expect(store.current?.status).toBe('interrupted');
      if (next === 'rollback') {
        const back = await rollbackJournal(router, store);
        expect(back.outcome).toBe('rolled-back');
        expect(back.rolledBack).toEqual(['add-bridge-lan', 'enable']);
        expect(await exportConfig(router)).toEqual(before);
      } else {
        const done = await resumeJournal(router, store);
        expect(done.outcome).toBe('applied');
        expect(done.applied).toEqual(['add-bridge-lan', 'enable', 'add-ether1']);
        expect((await applyPlan(router, p)).outcome).toBe('nothing-to-do');
      }
    }
  });

  it('resume does not trust the journal: a step the router lost after it was acknowledged is applied again', async () => {
    const { router } = demo('seed', 'fresh');
    const store = memoryJournalStore();
    const p = plan([addIf('bridge-lan', 'internal'), enable, addIf('ether1', 'external')]);
    expect((await applyPlan(dropsAfter(router, 2), p, { journal: store })).outcome).toBe('interrupted');
    // The router restarts without the acknowledged changes (e.g. power lost before they were saved).
    const added = await router.print('/ip/upnp/interfaces');
    await router.remove(
      '/ip/upnp/interfaces',
      added.map((r) => r['.id'] ?? ''),
    );
    await router.set('/ip/upnp', null, { enabled: 'no' });
    const done = await resumeJournal(router, store);
    expect(done.outcome).toBe('applied');
    expect(done.applied).toEqual(['add-bridge-lan', 'enable', 'add-ether1']);
    expect((await router.print('/ip/upnp/interfaces')).map((r) => r['interface'])).toEqual(['bridge-lan', 'ether1']);
    expect((await router.print('/ip/upnp'))[0]?.['enabled']).toBe('true');
    expect(store.current?.status).toBe('completed');
  });

  it('resume and rollback without a journal throw a typed JournalError', async () => {
    const { router } = demo('seed', 'fresh');
    await expect(resumeJournal(router, memoryJournalStore())).rejects.toMatchObject({
      name: 'JournalError',
      code: 'no-journal',
    });
    await expect(rollbackJournal(router, memoryJournalStore())).rejects.toBeInstanceOf(JournalError);
  });

  it('a step in flight when the link dropped counts as applied only if its effect is there', async () => {
    const { router } = demo('seed', 'fresh');
    const store = memoryJournalStore();
    const p = plan([addIf('bridge-lan', 'internal'), addIf('ether1', 'external')]);
    // The add reaches the router, then the link drops before the reply.
    let calls = 0;
    const flaky: RouterPort = {
      ...router,
      add: async (m, a) => {
        const id = await router.add(m, a);
        if (++calls === 2) throw Object.assign(new Error('closed'), { kind: 'closed' });
        return id;
      },
    };
    const report = await applyPlan(flaky, p, { journal: store });
    expect(report.steps.map((s) => s.result)).toEqual(['applied', 'unknown']);
    const back = await rollbackJournal(router, store);
    expect(back.rolledBack).toEqual(['add-bridge-lan', 'add-ether1']);
    expect(await router.print('/ip/upnp/interfaces')).toEqual([]);
  });

  it('renders the plan as a RouterOS script with flush warnings', () => {
    const p: Plan = {
      ...plan([addIf('bridge-lan', 'internal')]),
      flush: { upnp: 7, natPmp: 0 },
      warnings: ['careful'],
    };
    const text = renderScript(p, { router: 'r1' });
    expect(text).toContain('# WARNING: careful');
    expect(text).toContain('# !! restarts UPnP: drops 7 live UPnP mappings');
    expect(text).toContain('/ip upnp interfaces add interface=bridge-lan type=internal');
    expect(renderScript(plan([]))).toContain('Nothing to do');
  });
});

describe('journal', () => {
  it('a plan with nothing to do keeps the previous journal, so the last real change can still be undone', async () => {
    const { router } = demo('seed', 'fresh');
    const before = await exportConfig(router);
    const store = memoryJournalStore();
    const p = plan([addIf('bridge-lan', 'internal'), enable]);
    await applyPlan(router, p, { journal: store });
    expect((await applyPlan(router, p, { journal: store })).outcome).toBe('nothing-to-do');
    expect(store.current?.status).toBe('completed');
    expect((await rollbackJournal(router, store)).rolledBack).toEqual(['add-bridge-lan', 'enable']);
    expect(await exportConfig(router)).toEqual(before);
  });
});
