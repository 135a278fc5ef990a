/**
 * RouterOS value forms on the wire: booleans print `true`/`false` (input also takes yes/no),
 * durations print like `1d2h3m4s` / `300ms` (RouterOS API manual; routeros-facts.md).
 */
import { ApiTrap } from '../api-device';

const TRUE_WORDS = new Set(['yes', 'true']);
const FALSE_WORDS = new Set(['no', 'false']);

export function parseBool(field: string, value: string): boolean {
  const v = value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  throw new ApiTrap(`input does not match any value of ${field}`, 1);
}

export const wireBool = (b: boolean): string => (b ? 'true' : 'false');

/** `1d2h3m4s`; weeks as RouterOS prints them (`1w2d`); sub-second as `300ms`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return ms <= 0 ? '0s' : `${Math.floor(ms)}ms`;
  let s = Math.floor(ms / 1000);
  const parts: string[] = [];
  const units: Array<[string, number]> = [
    ['w', 604800],
    ['d', 86400],
    ['h', 3600],
    ['m', 60],
  ];
  for (const [unit, size] of units) {
    if (s >= size) {
      parts.push(`${Math.floor(s / size)}${unit}`);
      s %= size;
    }
  }
  if (s > 0 || parts.length === 0) parts.push(`${s}s`);
  return parts.join('');
}

/** Accepts `1d2h`, `90s`, `300ms`, `00:05:00` and plain seconds. Returns milliseconds. */
export function parseDuration(field: string, value: string): number {
  const clock = /^(\d+):(\d{2}):(\d{2})$/.exec(value);
  if (clock) return ((Number(clock[1]) * 60 + Number(clock[2])) * 60 + Number(clock[3])) * 1000;
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  const re = /(\d+)(ms|w|d|h|m|s)/gy;
  const sizes: Record<string, number> = { w: 604800e3, d: 86400e3, h: 3600e3, m: 60e3, s: 1e3, ms: 1 };
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(value); m; m = re.exec(value)) {
    total += Number(m[1]) * (sizes[m[2] ?? 's'] ?? 0);
    consumed = re.lastIndex;
  }
  if (consumed !== value.length || value.length === 0) {
    throw new ApiTrap(`value of ${field} must be time interval`, 1);
  }
  return total;
}

export function parseIntField(field: string, value: string, min: number, max: number): number {
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new ApiTrap(`value of ${field} out of range (${min}..${max})`, 1);
  }
  return Number(value);
}

/** RouterOS ids: `*` + upper-case hex. */
export const formatId = (n: number): string => `*${n.toString(16).toUpperCase()}`;

export function parseId(value: string): number | null {
  const m = /^\*([0-9a-fA-F]+)$/.exec(value);
  return m ? parseInt(m[1] ?? '', 16) : null;
}
