import type { MappingStatus } from '../../../../shared/domains/mappings';
import type { Row } from '../../stores/mappings';

/**
 * The Mappings search and status filter, free of Vue: the predicate the table filters with (parsed
 * once per query, not per row) and the counts behind the status chips.
 */

/**
 * Rows are replaced, never mutated, on every update (markRaw copies in the store), so a row's
 * lower-cased search text can be cached by identity: a search then costs one includes() per row.
 */
const haystacks = new WeakMap<Row, string>();
function haystackOf(r: Row): string {
  let text = haystacks.get(r);
  if (text === undefined) {
    const o = r.owner;
    text = [r.internalAddress, r.description, o.hostName ?? '', o.vendor ?? '', o.mac ?? '', o.interface ?? '']
      .join('\u0000')
      .toLowerCase();
    haystacks.set(r, text);
  }
  return text;
}

/** Builds the search cache ahead of the first keystroke (call when the browser is idle). */
export function warmSearch(rows: readonly Row[]): void {
  for (const r of rows) haystackOf(r);
}

/** Exact port, protocol or status; or a substring of address, description, host name, vendor, MAC or interface. */
export function matches(r: Row, q: string): boolean {
  return matcher(q)(r);
}

/**
 * `matches` for one query over many rows: the query is parsed once, not per row (issue 14: a port
 * compared as `String(port) === q` made two strings per row on every keystroke). With `status`, only
 * rows of that status match.
 */
export function matcher(q: string, status: MappingStatus | null = null): (r: Row) => boolean {
  if (!q) return status ? (r) => r.status === status : () => true;
  const port = /^(0|[1-9]\d{0,4})$/.test(q) ? Number(q) : NaN; // exactly as String(port) prints it
  const text = (r: Row) =>
    r.externalPort === port ||
    r.internalPort === port ||
    r.status === q ||
    r.protocol === q ||
    haystackOf(r).includes(q);
  return status ? (r) => r.status === status && text(r) : text;
}

export const STATUSES: readonly MappingStatus[] = ['active', 'idle', 'stale', 'disabled'];

/** How many rows have each status (the chips' numbers); rows fading out no longer count. */
export function statusCounts(rows: readonly Row[]): Record<MappingStatus, number> {
  const counts: Record<MappingStatus, number> = { active: 0, idle: 0, stale: 0, disabled: 0 };
  for (const r of rows) if (r.mark !== 'leaving') counts[r.status]++;
  return counts;
}
