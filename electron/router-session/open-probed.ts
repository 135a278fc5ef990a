/**
 * Opens a link and probes the router's capabilities under one deadline (issue 18): TCP, TLS, login
 * and the probe together must finish within connectTimeoutMs, so a router that logs us in and then
 * never answers fails the connect instead of hanging it. The opener enforces the same deadline on
 * its own part (and explains a TLS port that never answers); this one races the probe. Aborting
 * `signal` (the session was closed) gives up at once.
 */
import { RouterConnectionError } from './errors';
import type { Link, LinkOpener, WireLimits } from './link';
import { probeCapabilities } from './probe';
import type { Timers } from './session-util';
import type { Capabilities, RouterTarget } from './target';

export async function openProbed(
  target: RouterTarget,
  deps: { openLink: LinkOpener; timers: Timers; limits?: Partial<WireLimits>; signal: AbortSignal },
): Promise<{ link: Link; capabilities: Capabilities }> {
  const timeoutMs = target.connectTimeoutMs ?? 10_000;
  const keepaliveMs = target.keepaliveMs ?? 15_000;
  const where = { host: target.host, port: target.port };
  let deadline: unknown;
  let onAbort: (() => void) | undefined;
  const givenUp = new Promise<never>((_, reject) => {
    deadline = deps.timers.setTimeout(() => {
      const cause = `logged in, but no answer to the capability probe within ${timeoutMs / 1000} s`;
      reject(new RouterConnectionError('timeout', { ...where, cause }));
    }, timeoutMs);
    onAbort = () => reject(new RouterConnectionError('closed', { ...where, cause: 'session closed' }));
    deps.signal.addEventListener('abort', onAbort, { once: true });
  });
  givenUp.catch(() => undefined);
  let link: Link | undefined;
  try {
    // Socket idle timeout: a link silent for 2.5 keepalive periods is dead (the library's own check).
    link = await deps.openLink(target, {
      timeoutMs,
      idleTimeoutMs: keepaliveMs * 2.5,
      commandTimeoutMs: target.commandTimeoutMs,
      limits: deps.limits,
      signal: deps.signal,
    });
    const capabilities = await Promise.race([probeCapabilities(link, target.transport), givenUp]);
    if (deps.signal.aborted) throw new RouterConnectionError('closed', { ...where, cause: 'session closed' });
    return { link, capabilities };
  } catch (err) {
    await link?.close({ force: true });
    throw err;
  } finally {
    deps.timers.clearTimeout(deadline);
    if (onAbort) deps.signal.removeEventListener('abort', onAbort);
  }
}
