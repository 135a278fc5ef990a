/**
 * Injected time and randomness (STYLE: services get their ports injected; tests use a fake clock
 * and a seeded random so traffic and lease expiry are deterministic).
 */

export type TimerHandle = { readonly id: number };

export interface Clock {
  now(): number;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
}

export type Random = () => number;

/** Wall clock. Timers are unref'd so an idle demo router never keeps a process alive by itself. */
export function systemClock(): Clock {
  const timers = new Map<number, ReturnType<typeof setInterval>>();
  let next = 1;
  return {
    now: () => Date.now(),
    setInterval(fn, ms) {
      const id = next++;
      const t = setInterval(fn, ms);
      t.unref?.();
      timers.set(id, t);
      return { id };
    },
    clearInterval(handle) {
      const t = timers.get(handle.id);
      if (t) clearInterval(t);
      timers.delete(handle.id);
    },
  };
}

/** Deterministic clock for tests: `advance(ms)` fires due intervals in order. */
export class FakeClock implements Clock {
  private t: number;
  private nextId = 1;
  private readonly timers = new Map<number, { fn: () => void; every: number; due: number }>();

  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setInterval(fn: () => void, ms: number): TimerHandle {
    const id = this.nextId++;
    this.timers.set(id, { fn, every: Math.max(1, ms), due: this.t + Math.max(1, ms) });
    return { id };
  }
  clearInterval(handle: TimerHandle): void {
    this.timers.delete(handle.id);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      let soonest: { id: number; due: number } | null = null;
      for (const [id, timer] of this.timers) {
        if (timer.due <= end && (!soonest || timer.due < soonest.due)) soonest = { id, due: timer.due };
      }
      if (!soonest) break;
      const timer = this.timers.get(soonest.id);
      if (!timer) continue;
      this.t = timer.due;
      timer.due += timer.every;
      timer.fn();
    }
    this.t = end;
  }
}

/** mulberry32: tiny seeded PRNG, enough for simulated traffic. */
export function seededRandom(seed: number): Random {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
