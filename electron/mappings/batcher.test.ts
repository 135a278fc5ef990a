import { describe, expect, it } from 'vitest';
import type { MappingsDelta, MappingView } from '../../shared/domains/mappings';
import { DeltaBatcher, FRAME_MS } from './batcher';
import { memoryFileStore } from './file-store';
import { HistoryStore, MAX_EVENTS } from './history';
import { fakeClock } from './testing/fake-clock';

const view = (id: string, description = 'x'): MappingView =>
  ({ id, description, internalAddress: '192.168.88.10' }) as MappingView;

describe('DeltaBatcher', () => {
  it('coalesces a burst into one delta per frame: add+remove cancel, remove+add is an update, last update wins', () => {
    const clock = fakeClock();
    const out: MappingsDelta[] = [];
    const b = new DeltaBatcher((d) => out.push(d), clock);
    for (let i = 0; i < 10_000; i++) b.added(view(`tcp/${i}`));
    b.removed('tcp/5');
    b.updated(view('tcp/6', 'late'));
    clock.advance(FRAME_MS);
    expect(out).toHaveLength(1);
    expect(out[0]?.added).toHaveLength(9_999);
    expect(out[0]?.added.find((v) => v.id === 'tcp/6')?.description).toBe('late');
    b.removed('tcp/7');
    b.added(view('tcp/7', 'again'));
    b.updated(view('tcp/8', 'a'));
    b.updated(view('tcp/8', 'b'));
    clock.advance(FRAME_MS);
    expect(out[1]).toMatchObject({ seq: 2, added: [], removed: [], reset: false });
    expect(out[1]?.updated.map((v) => `${v.id}:${v.description}`)).toEqual(['tcp/7:again', 'tcp/8:b']);
  });

  it('emits at most one delta per frame (≤ ~60 per second) however often changes arrive', () => {
    const clock = fakeClock();
    const out: MappingsDelta[] = [];
    const b = new DeltaBatcher((d) => out.push(d), clock);
    for (let ms = 0; ms < 1000; ms++) {
      b.updated(view(`udp/${ms % 50}`));
      clock.advance(1);
    }
    clock.advance(FRAME_MS);
    expect(out.length).toBeLessThanOrEqual(Math.ceil(1000 / FRAME_MS) + 1);
    expect(out.length).toBeGreaterThan(30);
  });

  it('a reset replaces everything pending and says so', () => {
    const clock = fakeClock();
    const out: MappingsDelta[] = [];
    const b = new DeltaBatcher((d) => out.push(d), clock);
    b.added(view('tcp/1'));
    b.reset([view('tcp/2')]);
    b.flush();
    expect(out).toEqual([{ seq: 1, added: [view('tcp/2')], updated: [], removed: [], reset: true }]);
  });

  it('a reset to a very large set is emitted whole (no call with one argument per view)', () => {
    const out: MappingsDelta[] = [];
    const b = new DeltaBatcher((d) => out.push(d), fakeClock());
    const all = Array.from({ length: 200_000 }, (_, i) => view(`tcp/${i}`));
    b.reset(all);
    b.added(view('udp/1'));
    b.flush();
    expect(out[0]!.added.length).toBe(200_001);
    expect(all.length).toBe(200_000);
  });
});

describe('HistoryStore', () => {
  it('keeps first-seen across instances, bounds the event log, writes atomically through the store', async () => {
    const clock = fakeClock();
    const files = memoryFileStore();
    const a = new HistoryStore(files, 'h.json', clock);
    await a.load();
    const first = a.seen('tcp/1@x', 'tcp/1', 'x', 'd');
    clock.advance(5000);
    expect(a.seen('tcp/1@x', 'tcp/1', 'x', 'd')).toBe(first);
    for (let i = 0; i < MAX_EVENTS + 50; i++) a.seen(`udp/${i}@x`, `udp/${i}`, 'x', '');
    expect(a.events()).toHaveLength(MAX_EVENTS);
    expect(a.events().at(-1)?.id).toBe(`udp/${MAX_EVENTS + 49}`);
    a.count(3);
    await a.flush();
    const b = new HistoryStore(files, 'h.json', clock);
    await b.load();
    expect(b.firstSeen('tcp/1@x')).toBe(first);
    expect(b.events()).toHaveLength(MAX_EVENTS);
    expect(b.points().at(-1)?.open).toBe(3);
    b.removed('tcp/1@x', { id: 'tcp/1', internalAddress: 'x', description: 'd' });
    expect(b.firstSeen('tcp/1@x')).toBeUndefined();
    expect(b.events().at(-1)?.kind).toBe('removed');
  });

  it('a corrupt file starts fresh instead of failing the monitor', async () => {
    const files = memoryFileStore();
    files.files.set('h.json', '{not json');
    const errors: unknown[] = [];
    const h = new HistoryStore(files, 'h.json', fakeClock(), (e) => errors.push(e));
    await h.load();
    expect(h.isEmpty).toBe(true);
    expect(errors).toHaveLength(1);
  });
});
