import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type MappingsDelta } from '../../shared/domains/mappings';
import type { RawRow } from '../core/router-port';
import { DeltaBatcher } from './batcher';
import { memoryFileStore } from './file-store';
import { HistoryStore } from './history';
import { JoinIndex } from './join-index';
import { MappingLedger } from './ledger';
import { LiveViews } from './live-views';
import { fakeClock } from './testing/fake-clock';
import type { ViewMemo } from './view-memo';
import { noVendors } from './testing/harness';

/** A dynamic NAT rule as RouterOS 7's UPnP service writes it (routeros-facts.md). */
const rule = (id: string, port: number, address: string, counters = ['0', '0']): RawRow => ({
  '.id': id,
  chain: 'dstnat',
  action: 'dst-nat',
  protocol: 'udp',
  'dst-port': String(port),
  'to-addresses': address,
  'to-ports': String(port),
  comment: `upnp ${address}: Game ${port}`,
  dynamic: 'true',
  disabled: 'false',
  bytes: counters[0]!,
  packets: counters[1]!,
});

async function setup() {
  const clock = fakeClock();
  const history = new HistoryStore(memoryFileStore(), 'h.json', clock);
  await history.load();
  const deltas: MappingsDelta[] = [];
  const batcher = new DeltaBatcher((d) => deltas.push(d), clock);
  const deps = { clock, history, vendors: noVendors(), settings: () => DEFAULT_SETTINGS, onNotice: () => {} };
  const ledger = new MappingLedger(deps);
  // What the monitor's WatchLease says; a test swaps it between events.
  const screen = { watched: () => true };
  const live = new LiveViews({ ...deps, batcher, ledger, watched: () => screen.watched() });
  const sent = () => {
    batcher.flush();
    return deltas.splice(0);
  };
  return { live, clock, history, sent, screen };
}

describe('LiveViews', () => {
  it('a listen row adds, changes and removes its view, and the receiver hears each once', async () => {
    const { live, history, sent } = await setup();
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20') });
    expect(sent()).toMatchObject([{ added: [{ id: 'udp/3074', internalAddress: '192.168.88.20' }] }]);
    expect(history.firstSeen('udp/3074@192.168.88.20')).toBeDefined();

    live.apply({ menu: 'nat', row: { ...rule('*1', 3074, '192.168.88.20'), comment: 'upnp 192.168.88.20: Renamed' } });
    expect(sent()).toMatchObject([{ updated: [{ id: 'udp/3074', description: 'Renamed' }] }]);

    live.apply({ menu: 'nat', row: { '.id': '*1', '.dead': 'true' } });
    expect(sent()).toMatchObject([{ removed: ['udp/3074'] }]);
    expect(live.views.size).toBe(0);
  });

  it('counters alone: nobody watching, the view waits (traffic is still recorded); watched, it is rebuilt', async () => {
    const { live, clock, history, sent, screen } = await setup();
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20') });
    sent();
    const before = live.views.get('udp/3074');
    let asked = 0;
    clock.advance(5_000);
    screen.watched = () => (asked++, false);
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20', ['900', '3']) });
    expect(asked).toBe(1);
    expect(live.views.get('udp/3074')).toBe(before);
    expect(sent()).toEqual([]);
    expect(history.lastTraffic('udp/3074@192.168.88.20')).toBe(clock.now());

    clock.advance(5_000);
    screen.watched = () => true;
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20', ['1800', '6']) });
    expect(live.views.get('udp/3074')).not.toBe(before);
  });

  it('a rule whose port changed leaves its old id', async () => {
    const { live, sent } = await setup();
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20') });
    sent();
    live.apply({ menu: 'nat', row: rule('*1', 3075, '192.168.88.20') });
    const [delta] = sent();
    expect(delta?.removed).toEqual(['udp/3074']);
    expect(delta?.added.map((v) => v.id)).toEqual(['udp/3075']);
  });

  it('present(): a history key is on screen only with the same id and the same whole address', async () => {
    const { live } = await setup();
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20') });
    expect(live.present('udp/3074@192.168.88.20')).toBe(true);
    expect(live.present('udp/3074@192.168.88.2')).toBe(false);
    expect(live.present('udp/3074@10.192.168.88.20')).toBe(false);
    expect(live.present('udp/3075@192.168.88.20')).toBe(false);
    expect(live.present('udp/3074')).toBe(false);
  });

  it('adopt(): a snapshot index replaces the live one and no old view is kept', async () => {
    const { live } = await setup();
    live.apply({ menu: 'nat', row: rule('*1', 3074, '192.168.88.20') });
    const next = new JoinIndex();
    next.putRule(rule('*2', 27015, '192.168.88.30'));
    live.adopt(next);
    expect(live.views.size).toBe(0);
    expect(live.compute('udp/27015')?.internalAddress).toBe('192.168.88.30');
    expect(live.compute('udp/3074')).toBeNull();
    expect([...live.views.keys()]).toEqual(['udp/27015']);
  });

  it('fill(): keeps a staged view built with the current owners, builds a stale one again, and hears every view', async () => {
    const { live } = await setup();
    const next = new JoinIndex();
    next.putRule(rule('*1', 3074, '192.168.88.20'));
    next.putRule(rule('*2', 27015, '192.168.88.30'));
    const current = live.viewOf('udp/3074', next)!;
    const old = live.viewOf('udp/27015', next)!;
    live.adopt(next);
    const heard: string[] = [];
    const reused = live.fill(
      new Map([
        ['udp/3074', current],
        ['udp/27015', { view: old.view, memo: {} as ViewMemo }],
      ]),
      (view) => heard.push(view.id),
    );
    expect(reused).toBe(1);
    expect(live.views.get('udp/3074')).toBe(current.view);
    expect(live.views.get('udp/27015')).not.toBe(old.view);
    expect(live.views.get('udp/27015')).toEqual(old.view);
    expect(heard.sort()).toEqual(['udp/27015', 'udp/3074']);
  });
});
