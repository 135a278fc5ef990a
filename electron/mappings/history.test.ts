import { describe, expect, it } from 'vitest';
import { memoryFileStore } from './file-store';
import { HistoryStore } from './history';
import type { MappingsClock } from './clock';

const clockAt = (t: { now: number }): MappingsClock => ({
  now: () => t.now,
  setTimeout: () => null,
  clearTimeout: () => {},
  setInterval: () => null,
  clearInterval: () => {},
});

describe('HistoryStore', () => {
  it('keeps first-seen and last-traffic times across a save and a load, in the same file shape', async () => {
    const files = memoryFileStore();
    const t = { now: 1000 };
    const a = new HistoryStore(files, 'h.json', clockAt(t));
    await a.load();
    expect(a.isEmpty).toBe(true);
    const ev = { id: 'tcp/6881', internalAddress: '192.168.88.10', description: 'qB' };
    expect(a.seen('tcp/6881@192.168.88.10', ev.id, ev.internalAddress, ev.description)).toBe(1000);
    t.now = 2000;
    expect(a.seen('tcp/6881@192.168.88.10', ev.id, ev.internalAddress, ev.description)).toBe(1000);
    a.seen('udp/9308@192.168.88.20', 'udp/9308', ev.internalAddress, ev.description);
    a.traffic('tcp/6881@192.168.88.10', 1500);
    a.removed('udp/9308@192.168.88.20', { ...ev, id: 'udp/9308' });
    await a.flush();
    const file = JSON.parse(files.files.get('h.json') ?? '{}') as Record<string, unknown>;
    expect(file['firstSeen']).toEqual({ 'tcp/6881@192.168.88.10': 1000 });
    expect(file['lastTraffic']).toEqual({ 'tcp/6881@192.168.88.10': 1500 });

    const b = new HistoryStore(files, 'h.json', clockAt(t));
    await b.load();
    expect(b.isEmpty).toBe(false);
    expect(b.firstSeen('tcp/6881@192.168.88.10')).toBe(1000);
    expect(b.lastTraffic('tcp/6881@192.168.88.10')).toBe(1500);
    expect(b.trackedKeys()).toEqual(['tcp/6881@192.168.88.10']);
    expect(b.events().map((e) => `${e.kind} ${e.id}`)).toEqual([
      'first-seen tcp/6881',
      'first-seen udp/9308',
      'removed udp/9308',
    ]);
  });
});

describe('HistoryStore saving', () => {
  /** A clock whose timers the test fires; `due()` lists their delays. */
  function timerClock() {
    const t = { now: 0 };
    const timers = new Map<number, { at: number; fn: () => void }>();
    let id = 0;
    const clock: MappingsClock = {
      now: () => t.now,
      setTimeout: (fn, ms) => (timers.set(++id, { at: t.now + ms, fn }), id),
      clearTimeout: (h) => void timers.delete(h as number),
      setInterval: () => null,
      clearInterval: () => {},
    };
    return { t, clock, due: () => [...timers.values()].map((x) => x.at - t.now) };
  }

  it('writes traffic times within a minute, and a new mapping within 2 s', async () => {
    const { t, clock, due } = timerClock();
    const store = new HistoryStore(memoryFileStore(), 'h.json', clock);
    await store.load();
    store.traffic('tcp/1@a', 1);
    expect(due()).toEqual([60_000]);
    t.now = 1000;
    store.traffic('tcp/2@a', 2);
    expect(due()).toEqual([59_000]);
    store.seen('tcp/3@a', 'tcp/3', 'a', '');
    expect(due()).toEqual([2000]);
    store.traffic('tcp/1@a', 3);
    expect(due()).toEqual([2000]);
  });
});
