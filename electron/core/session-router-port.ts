import type { Capabilities } from '../../shared/domains/router';
import {
  RouterSession,
  type Capabilities as SessionCapabilities,
  type RouterTarget,
  type SessionDeps,
} from '../router-session';
import type { RawRow, RouterPort } from './router-port';

/** The contract's capability facts from the session's richer probe. */
export function toPortCapabilities(c: SessionCapabilities): Capabilities {
  return {
    identity: c.identity,
    version: c.version,
    board: c.board ?? 'unknown board',
    architecture: c.architecture ?? 'unknown',
    uptimeSeconds: c.uptimeSeconds,
    menus: c.menus,
  };
}

/**
 * The one adapter from RouterSession (node-routeros over real sockets) to the RouterPort seam that
 * every router-facing service uses: the app's router service, the CLI commands, and the integration
 * tests and bench all go through it.
 */
export function sessionMenus(session: RouterSession): Omit<RouterPort, 'capabilities'> {
  return {
    print: (menu, options = {}) => session.print(menu, { query: options.query, proplist: options.proplist }),
    add: (menu, attrs) => session.add(menu, attrs),
    set: (menu, id, attrs) => session.set(menu, id, attrs),
    remove: (menu, ids) => session.remove(menu, ids),
    async command(menu, verb, attrs = {}) {
      const rows = await session.command(menu, verb, attrs);
      const ret = rows.find((row) => row['ret'] !== undefined)?.['ret'];
      return ret === undefined ? {} : { ret };
    },
    listen(menu, onRow, options = {}) {
      return session.listen(
        menu,
        (e) =>
          onRow(
            e.type === 'removed'
              ? { '.id': e.id, '.dead': 'true' }
              : { ...(e.row as RawRow), '.id': e.id ?? (e.row as RawRow)['.id'] ?? '' },
          ),
        { proplist: options.proplist, onResumed: options.onResumed },
      );
    },
  };
}

export function sessionRouterPort(session: RouterSession, caps: SessionCapabilities): RouterPort {
  return { capabilities: toPortCapabilities(caps), ...sessionMenus(session) };
}

/** Connects a session and returns it as a RouterPort; a failed connect leaves nothing open. */
export async function connectRouterPort(
  target: RouterTarget,
  deps: SessionDeps = {},
): Promise<{ port: RouterPort; session: RouterSession; close(): Promise<void> }> {
  const session = new RouterSession(target, deps);
  const caps = await session.connect().catch(async (e: unknown) => {
    await session.close().catch(() => undefined);
    throw e;
  });
  return { port: sessionRouterPort(session, caps), session, close: () => session.close() };
}
