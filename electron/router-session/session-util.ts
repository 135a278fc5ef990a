/** Small helpers of RouterSession. */
import { RouterConnectionError, ValidationError } from './errors';
import type { SessionState } from './target';
import { rosId } from './values';

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realTimers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

/** Errors after which retrying cannot help and may lock the user out (RouterOS has login rate limits). */
export const FATAL_KINDS: ReadonlySet<string> = new Set(['login', 'tls-untrusted', 'tls-fingerprint-changed']);
/** Command errors that mean the link is gone (the command deadline and wire violations tear it down). */
export const LOSS_KINDS: ReadonlySet<string> = new Set(['closed', 'timeout', 'protocol']);

export function checkId(id: string): string {
  if (!rosId.safeParse(id).success) throw new ValidationError('.id', `not a RouterOS id: ${JSON.stringify(id)}`);
  return id;
}

/** Any failure of connect as a RouterConnectionError; the router is named (`where`), never "the router". */
export function toConnectionError(err: unknown, where: { host: string; port: number }): RouterConnectionError {
  if (err instanceof RouterConnectionError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new RouterConnectionError('protocol', { ...where, cause: message });
}

export function describeState(s: SessionState): string {
  switch (s.kind) {
    case 'connected':
      return `connected (RouterOS ${s.capabilities.version}, ${s.capabilities.identity})`;
    case 'reconnecting':
      return `reconnecting, attempt ${s.attempt} in ${s.inMs} ms (${s.reason})`;
    case 'disconnected':
      return `disconnected (${s.reason})`;
    default:
      return s.kind;
  }
}
