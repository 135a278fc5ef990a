import type { MappingsClock } from '../clock';

/** Timers fire only when the test advances time (in order, each at its own due time). */
export function fakeClock(start = 1_000_000): MappingsClock & { advance(ms: number): void; pending(): number } {
  let t = start;
  let timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let next = 1;
  return {
    now: () => t,
    setTimeout: (fn, ms) => (timers.push({ at: t + ms, fn, id: next }), next++),
    clearTimeout: (h) => void (timers = timers.filter((x) => x.id !== h)),
    setInterval: () => 0,
    clearInterval: () => {},
    pending: () => timers.length,
    advance(ms) {
      const end = t + ms;
      for (;;) {
        const due = timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
        if (!due) break;
        timers = timers.filter((x) => x !== due);
        t = due.at;
        due.fn();
      }
      t = end;
    },
  };
}
