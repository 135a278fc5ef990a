/** Reading rows for steps: normalised comparison, resolving a Find to ids, a row's settable fields. */
import type { RawRow, RouterPort } from '../core/router-port';
import type { Find } from './types';

/** RouterOS prints booleans as true/false but accepts yes/no (routeros-facts.md). */
export function norm(value: string | undefined): string {
  if (value === 'yes') return 'true';
  if (value === 'no') return 'false';
  return value ?? '';
}

export const matches = (row: RawRow, match: Record<string, string>): boolean =>
  Object.entries(match).every(([k, v]) => norm(row[k]) === norm(v));

const isStatic = (row: RawRow): boolean => row['dynamic'] !== 'true';

/** Static rows of a menu in router order. */
export async function staticRows(router: RouterPort, menu: string): Promise<RawRow[]> {
  return (await router.print(menu)).filter(isStatic);
}

/** Ids map: a row removed by an applied step and re-added by its inverse gets a new id. */
export type IdMap = Map<string, string>;

export function findIn(rows: RawRow[], find: Find, ids?: IdMap): RawRow | undefined {
  if (find.id) {
    const id = ids?.get(find.id) ?? find.id;
    return rows.find((r) => r['.id'] === id);
  }
  return rows.find((r) => matches(r, find.match ?? {}));
}

/** Fields RouterOS shows but does not take back on add (counters, flags, status). */
const READ_ONLY = new Set(['dynamic', 'invalid', 'bytes', 'packets', 'running', 'status', 'default-name']);

/** What `add` needs to recreate a removed row (for the inverse of a remove). */
export function settable(row: RawRow): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(row)) {
    if (k.startsWith('.') || READ_ONLY.has(k) || v === '') continue;
    out[k] = v;
  }
  return out;
}

/** The id of the static row right after `id`, or null when it is the last one. */
export function nextId(rows: RawRow[], id: string): string | null {
  const i = rows.findIndex((r) => r['.id'] === id);
  return i >= 0 ? (rows[i + 1]?.['.id'] ?? null) : null;
}
