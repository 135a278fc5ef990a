/**
 * Reconnect delays: capped exponential backoff with jitter (the AWS Architecture Blog "Exponential
 * Backoff And Jitter" scheme), so many PortPilot instances do not hammer a rebooting router in step.
 */
export interface BackoffOptions {
  /** First delay (attempt 1). Default 1000 ms. */
  baseMs?: number;
  /** Cap. Default 30000 ms. */
  maxMs?: number;
  /** Share of the delay that is random, 0..1. Default 0.3. */
  jitter?: number;
}

/** Delay before reconnect attempt `attempt` (1-based); `random` returns [0, 1). */
export function backoffDelay(attempt: number, opts: BackoffOptions, random: () => number): number {
  const base = opts.baseMs ?? 1000;
  const max = opts.maxMs ?? 30_000;
  const jitter = Math.min(1, Math.max(0, opts.jitter ?? 0.3));
  const capped = Math.min(max, base * 2 ** Math.min(30, Math.max(0, attempt - 1)));
  return Math.round(capped * (1 - jitter + jitter * random()));
}
