/**
 * RouterOS durations, in milliseconds. RouterOS prints `1w2d3h4m5s`, sub-second parts as `300ms`
 * (routeros-facts.md; v7 also `us`), and older consoles the clock form `00:05:00` or `1d 02:00:00`.
 * One parser for everything that reads them: the router session's models (in seconds), the mappings
 * monitor (host last-seen) and the demo router's input checks; one formatter for the demo router's output.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  w: 604_800_000,
  d: 86_400_000,
  h: 3_600_000,
  m: 60_000,
  s: 1000,
  ms: 1,
  us: 0.001,
};

const CLOCK = /^(?:(\d+)d\s*)?(\d+):(\d{2}):(\d{2}(?:\.\d+)?)$/;

/** `1d2h3m4s` → 93 784 000, `300ms` → 300, `00:05:00` → 300 000; undefined for anything else
 *  (including `never` and the empty string, which callers give their own meaning). */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const clock = CLOCK.exec(t);
  if (clock) {
    const [, d, h, m, s] = clock;
    return ((Number(d ?? 0) * 24 + Number(h)) * 3600 + Number(m) * 60 + Number(s)) * 1000;
  }
  const part = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/y;
  let total = 0;
  let consumed = 0;
  for (let m = part.exec(t); m; m = part.exec(t)) {
    total += Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? 0);
    consumed = part.lastIndex;
  }
  return consumed === t.length ? total : undefined;
}

/** As RouterOS prints it: `1d2h3m4s`, weeks as `1w2d`, under a second as `300ms`; whole seconds
 *  above that (RouterOS drops the milliseconds of longer durations too). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return ms <= 0 ? '0s' : `${Math.floor(ms)}ms`;
  let s = Math.floor(ms / 1000);
  const parts: string[] = [];
  for (const unit of ['w', 'd', 'h', 'm'] as const) {
    const size = (UNIT_MS[unit] ?? 0) / 1000;
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}
