import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type MappingView } from '../../shared/domains/mappings';
import type { MappingAlert } from './alert-rules';
import { memoryFileStore } from './file-store';
import { HistoryStore } from './history';
import { MappingLedger } from './ledger';
import { fakeClock } from './testing/fake-clock';
import { mappingView } from '../../shared/testing/mapping-view';

const view = (port: number, address = '192.168.88.20'): MappingView =>
  mappingView(port, { internalAddress: address, owner: { hostName: 'pc', mac: '00:11:22:33:44:55' } });
const facts = (v: MappingView) => ({ id: v.id, internalAddress: v.internalAddress, description: v.description });

async function ledger() {
  const clock = fakeClock(1_000);
  const history = new HistoryStore(memoryFileStore(), 'h.json', clock);
  await history.load();
  const notices: MappingAlert[] = [];
  const vendors = { load: async () => {}, ready: () => null };
  const l = new MappingLedger({
    clock,
    history,
    vendors: vendors as never,
    settings: () => DEFAULT_SETTINGS,
    onNotice: (a) => notices.push(a),
  });
  return { l, history, notices, clock };
}

describe('MappingLedger', () => {
  it('a held mapping keeps its first-seen time, raises no notice, and is recorded gone only if it did not come back', async () => {
    const { l, history, notices, clock } = await ledger();
    const kept = view(80);
    const lost = view(81);
    expect(l.times(kept.id, facts(kept) as never).firstSeenAt).toBe(1_000);
    l.times(lost.id, facts(lost) as never);
    const hold = l.hold(['tcp/80@192.168.88.20', 'tcp/81@192.168.88.20'], () => new Set(['tcp/80@192.168.88.20']));
    clock.advance(4_000);
    l.gone(kept); // the flush: not recorded while held
    l.appeared(kept, true); // restored: the same mapping, no notice
    expect(notices).toEqual([]);
    expect(history.events().filter((e) => e.kind === 'removed')).toEqual([]);
    expect(l.times(kept.id, facts(kept) as never).firstSeenAt).toBe(1_000);
    hold.release();
    expect(
      history
        .events()
        .filter((e) => e.kind === 'removed')
        .map((e) => e.id),
    ).toEqual(['tcp/81']);
  });

  it('a new privileged mapping from a new host is a notice; the first snapshot and repeats are not', async () => {
    const { l, notices } = await ledger();
    l.appeared(view(22, '192.168.88.30'), false);
    expect(notices).toEqual([]);
    l.appeared({ ...view(80, '192.168.88.40'), owner: { ...view(80).owner, mac: '00:11:22:33:44:66' } }, true);
    expect(notices.map((n) => n.port)).toEqual(['TCP 80']);
  });

  it('counters that change are traffic; the first reading and an unchanged one are not', async () => {
    const { l, history, clock } = await ledger();
    const v = view(80);
    l.counted('*1', '10/1', v);
    expect(history.lastTraffic('tcp/80@192.168.88.20')).toBeNull();
    clock.advance(6_000);
    l.counted('*1', '10/1', v);
    expect(history.lastTraffic('tcp/80@192.168.88.20')).toBeNull();
    l.counted('*1', '20/2', v);
    expect(history.lastTraffic('tcp/80@192.168.88.20')).toBe(7_000);
  });

  it('after a snapshot, tracked mappings not present (and not held) are last seen', async () => {
    const { l, history } = await ledger();
    for (const p of [80, 81, 82]) l.times(`tcp/${p}`, facts(view(p)) as never);
    l.hold(['tcp/82@192.168.88.20'], () => new Set());
    l.sweep((key) => key === 'tcp/80@192.168.88.20');
    expect(
      history
        .events()
        .filter((e) => e.kind === 'last-seen')
        .map((e) => e.id),
    ).toEqual(['tcp/81']);
  });
});
