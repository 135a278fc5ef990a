/**
 * A RouterPort over a real RouterSession (sockets), for the monitor's integration tests and the bench:
 * the shared adapter with short reconnect backoff so restart tests stay quick.
 */
import type { RouterPort } from '../../core/router-port';
import { connectRouterPort } from '../../core/session-router-port';
import type { RouterSession, RouterTarget } from '../../router-session';

export async function connectSessionPort(target: RouterTarget): Promise<{ port: RouterPort; session: RouterSession }> {
  const { port, session } = await connectRouterPort(target, { backoff: { baseMs: 50, maxMs: 300 } });
  return { port, session };
}
