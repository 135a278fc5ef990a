/**
 * RouterOS wire values → typed values. Every API value is a string (MikroTik "API" manual); booleans
 * print as `true`/`false` (older versions `yes`/`no`), durations as `1w2d3h4m5s` with optional `ms`
 * (e.g. `300ms`, `1d2h3m4s500ms`), ids as `*` + upper-case hex.
 */
import { z } from 'zod';

const UNIT_SECONDS: Record<string, number> = { w: 604800, d: 86400, h: 3600, m: 60, s: 1, ms: 0.001, us: 0.000001 };

/** `1d2h3m4s` → 93784, `300ms` → 0.3, `00:05:00` (older console form) → 300. Undefined if not a duration. */
export function parseDuration(text: string): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const clock = /^(?:(\d+)d\s*)?(\d{1,2}):(\d{2}):(\d{2}(?:\.\d+)?)$/.exec(t);
  if (clock) {
    const [, d, h, m, s] = clock;
    return Number(d ?? 0) * 86400 + Number(h) * 3600 + Number(m) * 60 + Number(s);
  }
  const re = /(\d+(?:\.\d+)?)(ms|us|w|d|h|m|s)/gy;
  let total = 0;
  let consumed = 0;
  for (let m = re.exec(t); m; m = re.exec(t)) {
    total += Number(m[1]) * (UNIT_SECONDS[m[2] ?? ''] ?? 0);
    consumed = re.lastIndex;
  }
  return consumed === t.length ? total : undefined;
}

export const rosBool = z.enum(['true', 'false', 'yes', 'no']).transform((v) => v === 'true' || v === 'yes');
export const rosId = z.string().regex(/^\*[0-9A-Fa-f]+$/, 'a RouterOS id such as *1A');
/** An integer; one too large to be exact in JavaScript is refused rather than shown as "1e+23". */
export const rosInt = z
  .string()
  .regex(/^-?\d+$/, 'an integer')
  .transform((v) => Number(v))
  .refine((n) => Number.isSafeInteger(n), 'an integer below 2^53');
export const rosDuration = z.string().transform((v, ctx) => {
  const seconds = parseDuration(v);
  if (seconds === undefined) {
    ctx.addIssue({ code: 'custom', message: `not a RouterOS duration: ${v}` });
    return z.NEVER;
  }
  return seconds;
});
/** Empty string (RouterOS prints unset values as absent or empty) → undefined. */
export const rosText = z.string();
export const rosOptText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

/** Optional duration: absent, empty or `never` (e.g. a static lease's expires-after) → undefined. */
export const rosOptDuration = z
  .string()
  .optional()
  .transform((v, ctx) => {
    if (v === undefined || v === '' || v === 'never') return undefined;
    const seconds = parseDuration(v);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a RouterOS duration: ${v}` });
      return z.NEVER;
    }
    return seconds;
  });
