/**
 * The CLI's RouterPort over a real RouterSession (the same seam the app's services use), and the
 * `--router HOST[:PORT]` parser.
 */
import type { RawRow, RouterPort } from '../core/router-port';
import { RouterSession, type Capabilities, type Transport } from '../router-session';

export interface RouterAddress {
  host: string;
  port: number;
}

/** `host`, `host:port`, `[v6]:port`. Throws with a message for people on anything else. */
export function parseRouterAddress(value: string, transport: Transport): RouterAddress {
  const fallback = transport === 'api-ssl' ? 8729 : 8728;
  const m = /^(?:\[([^\]]+)\]|([^:[\]]+))(?::(\d{1,5}))?$/.exec(value.trim());
  const host = m?.[1] ?? m?.[2];
  const port = m?.[3] === undefined ? fallback : Number(m[3]);
  if (!m || !host || port < 1 || port > 65535)
    throw new Error(`--router: “${value}” is not HOST or HOST:PORT (port 1–65535)`);
  return { host, port };
}

export function sessionPort(session: RouterSession, caps: Capabilities): RouterPort {
  return {
    capabilities: {
      identity: caps.identity,
      version: caps.version,
      board: caps.board ?? '',
      architecture: caps.architecture ?? '',
      uptimeSeconds: caps.uptimeSeconds,
      menus: caps.menus,
    },
    print: (menu, o = {}) => session.print(menu, { query: o.query, proplist: o.proplist }),
    add: (menu, attrs) => session.add(menu, attrs),
    set: (menu, id, attrs) => session.set(menu, id, attrs),
    remove: (menu, ids) => session.remove(menu, ids),
    command: async (menu, verb, attrs) => {
      const ret = (await session.command(menu, verb, attrs))[0]?.['ret'];
      return ret === undefined ? {} : { ret };
    },
    listen: (menu, onRow, o = {}) => {
      const handle = session.listen(
        menu,
        (e) => onRow(e.type === 'removed' ? { '.id': e.id, '.dead': 'true' } : (e.row as RawRow)),
        { proplist: o.proplist, onResumed: o.onResumed },
      );
      return { cancel: () => handle.cancel() };
    },
  };
}

export async function connectRouter(opts: {
  address: RouterAddress;
  user: string;
  password: string;
  transport: Transport;
  fingerprint?: string;
}): Promise<{ router: RouterPort; close: () => Promise<void> }> {
  const session = new RouterSession({
    ...opts.address,
    user: opts.user,
    password: opts.password,
    transport: opts.transport,
    pinnedFingerprint: opts.fingerprint ?? null,
  });
  const caps = await session.connect();
  return { router: sessionPort(session, caps), close: () => session.close() };
}
