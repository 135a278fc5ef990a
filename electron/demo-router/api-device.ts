/**
 * The seam between the demo router's RouterOS API server (wire protocol: login, tags, queries,
 * proplist, count-only, listen, cancel, quit) and its device model (menus, state, scenarios).
 * The API server owns everything generic about the protocol; the device owns the menus.
 * Row values are already in RouterOS wire form: booleans "true"/"false", durations "1d2h3m4s",
 * ids "*1A", lists comma-separated.
 */

export type Row = Record<string, string>;

/**
 * A `!trap` the device raises. Categories per the RouterOS API manual: 0 missing item or command,
 * 1 argument value failure, 2 interrupted, 3 scripting, 4 general, 5 API, 6 TTY, 7 :return.
 */
export class ApiTrap extends Error {
  constructor(
    message: string,
    readonly category?: number,
  ) {
    super(message);
    this.name = 'ApiTrap';
  }
}

/** The command path does not exist: the server answers with the two traps real RouterOS sends. */
export class UnknownCommandError extends Error {
  constructor(readonly path: string) {
    super(`no such command or directory (${path})`);
    this.name = 'UnknownCommandError';
  }
}

export interface DeviceContext {
  user: string;
  remoteAddress: string;
}

export interface ApiDevice {
  /** Post-6.43 login check. */
  login(user: string, password: string): boolean;
  /**
   * Whether `user`'s group grants `policy` (`api`, `read`, `write`, `reboot`, …: /user/group). The API
   * server asks before login completes (`api`) and before each command.
   */
  permits(user: string, policy: string): boolean;
  /**
   * `print` of a menu: every row with every property ('.id' included where the menu has ids; singleton
   * menus such as /ip/upnp return one row without '.id'). The server applies queries, .proplist and
   * count-only. Throws UnknownCommandError when the menu does not exist in this profile.
   */
  print(menu: string, attrs: Row, ctx: DeviceContext): Row[];
  /**
   * The same rows, each rendered when it is read, so that a long print goes out while the rest is still
   * being rendered, as on a real router (the server uses it when present). Throws like `print`, at once.
   */
  printLazily?(menu: string, attrs: Row, ctx: DeviceContext): Iterable<Row>;
  /**
   * Any other verb (add, set, remove, enable, disable, move, get, reboot, unset, ...). `menu` is the
   * path without the verb ("/ip/firewall/nat"), `verb` the last segment ("add"). Returns `ret` for
   * `add` (the new id) and `get` (the value). Throws ApiTrap / UnknownCommandError.
   */
  command(menu: string, verb: string, attrs: Row, ctx: DeviceContext): { ret?: string };
  /**
   * `listen`: call onChange with the full row on every add/change, and with
   * `{ '.id': id, '.dead': 'true' }` on removal. Returns the unsubscribe. Throws UnknownCommandError.
   */
  listen(menu: string, onChange: (row: Row) => void): () => void;
  /** Closing every API session, as `/system/reboot` does. The server registers here. */
  onReboot(listener: () => void): () => void;
}

/** What `startApiServer` (electron/demo-router/api/server.ts) takes and returns. */
export interface ApiServerOptions {
  device: ApiDevice;
  host: string;
  /** 0 = random. */
  port: number;
  /** API-SSL when present. */
  tls?: {
    /** PEM; when absent, anonymous DH only (like a router without a certificate). */
    cert?: string;
    key?: string;
  };
  /** Largest accepted word in bytes; larger gets `!fatal` and a closed connection. Default 1 MiB. */
  maxWordBytes?: number;
  /**
   * RouterOS >= 7.18 answers a `print` with no rows with `!empty` then `!done`; older versions send
   * only `!done`. Set for the routeros7 profile. Default false. (Optional, added by the API server.)
   */
  emptyReplies?: boolean;
  log?: (line: string) => void;
}

export interface RunningServer {
  host: string;
  port: number;
  /** Close the listener and every session. */
  close(): Promise<void>;
}
