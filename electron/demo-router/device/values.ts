/**
 * RouterOS value forms on the wire: booleans print `true`/`false` (input also takes yes/no),
 * durations print like `1d2h3m4s` / `300ms` (RouterOS API manual; routeros-facts.md; electron/routeros/duration.ts).
 */
import { ApiTrap } from '../api-device';
import { parseDuration } from '../../routeros/duration';

const TRUE_WORDS = new Set(['yes', 'true']);
const FALSE_WORDS = new Set(['no', 'false']);

export function parseBool(field: string, value: string): boolean {
  const v = value.toLowerCase();
  if (TRUE_WORDS.has(v)) return true;
  if (FALSE_WORDS.has(v)) return false;
  throw new ApiTrap(`input does not match any value of ${field}`, 1);
}

export const wireBool = (b: boolean): string => (b ? 'true' : 'false');

/** A duration typed into a menu, in milliseconds: what RouterOS prints (electron/routeros/duration.ts)
 *  or plain seconds, which RouterOS input also takes. Anything else is the trap RouterOS answers. */
export function parseDurationField(field: string, value: string): number {
  const ms = /^\d+$/.test(value) ? Number(value) * 1000 : parseDuration(value);
  if (ms === undefined) throw new ApiTrap(`value of ${field} must be time interval`, 1);
  return ms;
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
