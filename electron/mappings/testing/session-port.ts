/**
 * A RouterPort over a real RouterSession (sockets), for the monitor's integration tests and the
 * bench. The app's own adapter lives in the router service; this one is kept minimal and local so
 * the mappings slice can be measured over real sockets on its own.
 */
import type { Capabilities as PortCapabilities } from '../../../shared/domains/router';
import type { RawRow, RouterPort } from '../../core/router-port';
import { RouterSession, type RouterTarget } from '../../router-session';

export async function connectSessionPort(target: RouterTarget): Promise<{ port: RouterPort; session: RouterSession }> {
  const session = new RouterSession(target, { backoff: { baseMs: 50, maxMs: 300 } });
  const caps = await session.connect();
  const capabilities: PortCapabilities = {
    identity: caps.identity,
    version: caps.version,
    board: caps.board ?? '',
    architecture: caps.architecture ?? '',
    uptimeSeconds: caps.uptimeSeconds,
    menus: caps.menus,
  };
  const port: RouterPort = {
    capabilities,
    print: (menu, options = {}) => session.print(menu, options) as Promise<RawRow[]>,
    add: (menu, attrs) => session.add(menu, attrs),
    set: (menu, id, attrs) => session.set(menu, id, attrs),
    remove: (menu, ids) => session.remove(menu, ids),
    command: async (menu, verb, attrs) => {
      const rows = await session.command(menu, verb, attrs);
      const ret = rows[0]?.['ret'];
      return ret === undefined ? {} : { ret };
    },
    listen: (menu, onRow, options = {}) =>
      session.listen(
        menu,
        (e) =>
          onRow(
            e.type === 'removed'
              ? { '.id': e.id, '.dead': 'true' }
              : { ...(e.row as RawRow), '.id': e.id ?? (e.row as RawRow)['.id'] ?? '' },
          ),
        { proplist: options.proplist, onResumed: options.onResumed },
      ),
  };
  return { port, session };
}
