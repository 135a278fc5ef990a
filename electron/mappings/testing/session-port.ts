/**
 * A RouterLink over a real RouterSession (sockets), for the monitor's integration tests and the bench:
 * the app's own adapter, with short reconnect backoff so restart tests stay quick. The session is
 * returned too, so tests can drop and restore its connection.
 */
import { adHocRef, createRouterLink, type RouterLink } from '../../core/router-link';
import { RouterSession, type RouterTarget } from '../../router-session';

export async function connectSessionPort(target: RouterTarget): Promise<{ port: RouterLink; session: RouterSession }> {
  const session = new RouterSession(target, { backoff: { baseMs: 50, maxMs: 300 } });
  const port = createRouterLink(session, { ref: adHocRef(target) });
  await port.connect().catch(async (e: unknown) => {
    await session.close().catch(() => undefined);
    throw e;
  });
  return { port, session };
}
