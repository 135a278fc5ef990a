import type { Capabilities } from '../../shared/domains/router';

/** A RouterOS row as the API returns it: every value a wire string ("true", "1d2h", "*1A"). */
export type RawRow = Record<string, string>;

/**
 * What every router-facing service (mappings monitor, cleanup, change plans, troubleshooter) needs from
 * a live RouterOS connection. The app implements it with RouterSession (node-routeros, real sockets);
 * unit tests may implement it directly on the demo router's device. Services import only this.
 *
 * Errors: a `!trap` rejects with an Error carrying `category?: number` (RouterOS API trap category) and
 * the router's `message`; a connection problem rejects with an Error carrying `kind` (e.g. 'down').
 * Use the guards below rather than instanceof, so either implementation works.
 */
export interface RouterPort {
  readonly capabilities: Capabilities;
  /** `print` with optional query words (`?dynamic=true`, `?#|`…) and `.proplist`. */
  print(menu: string, options?: { query?: string[]; proplist?: string[] }): Promise<RawRow[]>;
  /**
   * `print` that hands each row to `onRow` as it arrives and keeps none; resolves with the row count.
   * Issue 14: the mappings snapshot parses 10,000 NAT rules while the rest are still on the wire.
   */
  printEach(
    menu: string,
    onRow: (row: RawRow) => void,
    options?: { query?: string[]; proplist?: string[] },
  ): Promise<number>;
  /** `add` → the new `.id`. `place-before` etc. go in attrs. */
  add(menu: string, attrs: Record<string, string>): Promise<string>;
  /** `set`; id null for singleton menus (/ip/upnp). */
  set(menu: string, id: string | null, attrs: Record<string, string>): Promise<void>;
  remove(menu: string, ids: string[]): Promise<void>;
  /** Any other verb (enable, disable, move, unset, reboot…). Resolves with `ret` when the router sent one. */
  command(menu: string, verb: string, attrs?: Record<string, string>): Promise<{ ret?: string }>;
  /**
   * `listen`: onRow gets every changed row, and `{ '.id', '.dead': 'true' }` for removals. After a
   * reconnect the listen resumes by itself and `onResumed` fires so the caller can take a fresh snapshot.
   */
  listen(
    menu: string,
    onRow: (row: RawRow) => void,
    options?: { proplist?: string[]; onResumed?: () => void },
  ): { cancel(): Promise<void> };
}

export interface TrapLike extends Error {
  category?: number;
}

export const isTrap = (err: unknown): err is TrapLike =>
  err instanceof Error && ('category' in err || err.name === 'RouterTrapError' || err.name === 'ApiTrap');

/** RouterOS answers a menu or command it does not have with category 0 / "no such command". */
export const isNoSuchCommand = (err: unknown): boolean => err instanceof Error && /no such command/.test(err.message);

export const isConnectionError = (err: unknown): err is Error & { kind: string } =>
  err instanceof Error && typeof (err as { kind?: unknown }).kind === 'string';

/** RouterOS wire booleans. */
export const isTrue = (value: string | undefined): boolean => value === 'true' || value === 'yes';

/** `printEach` for a port that only reads whole replies (fakes, the in-process device port). */
export function printEachVia(
  print: RouterPort['print'],
): (
  menu: string,
  onRow: (row: RawRow) => void,
  options?: { query?: string[]; proplist?: string[] },
) => Promise<number> {
  return async (menu, onRow, options) => {
    const rows = await print(menu, options);
    for (const row of rows) onRow(row);
    return rows.length;
  };
}
