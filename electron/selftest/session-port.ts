// A RouterPort over PortPilot's RouterSession, for the CLI (the app gets its RouterPort from the
// router service). The self-test only reads, but the adapter is complete so it stays a RouterPort.
import type { Capabilities as PortCapabilities } from '../../shared/domains/router';
import type { RawRow, RouterPort } from '../core/router-port';
import { RouterSession, type RouterTarget } from '../router-session/index';

export async function connectRouterPort(target: RouterTarget): Promise<{ port: RouterPort; close(): Promise<void> }> {
  const session = new RouterSession(target);
  const caps = await session.connect().catch(async (e: unknown) => {
    await session.close().catch(() => undefined);
    throw e;
  });
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
      const ret = (await session.command(menu, verb, attrs))[0]?.['ret'];
      return ret === undefined ? {} : { ret };
    },
    listen: (menu, onRow, options = {}) =>
      session.listen(
        menu,
        (e) =>
          onRow(e.type === 'removed' ? { '.id': e.id, '.dead': 'true' } : { ...(e.row as RawRow), '.id': e.id ?? '' }),
        { proplist: options.proplist, onResumed: options.onResumed },
      ),
  };
  return { port, close: () => session.close() };
}
