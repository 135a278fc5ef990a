/**
 * RouterOS wire values → typed values. Every API value is a string (MikroTik "API" manual); booleans
 * print as `true`/`false` (older versions `yes`/`no`), durations as `1w2d3h4m5s` with optional `ms`
 * (e.g. `300ms`, `1d2h3m4s500ms`; parsed by electron/routeros/duration.ts), ids as `*` + upper-case hex.
 */
import { z } from 'zod';
import { parseDuration } from '../routeros/duration';

/** The models keep durations in seconds (e.g. `uptime`); `300ms` → 0.3. */
function durationSeconds(text: string): number | undefined {
  const ms = parseDuration(text);
  return ms === undefined ? undefined : ms / 1000;
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
  const seconds = durationSeconds(v);
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
    const seconds = durationSeconds(v);
    if (seconds === undefined) {
      ctx.addIssue({ code: 'custom', message: `not a RouterOS duration: ${v}` });
      return z.NEVER;
    }
    return seconds;
  });
