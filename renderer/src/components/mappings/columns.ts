import type { Row } from '../../stores/mappings';
import { formatDuration } from '../../composables/format';

/**
 * The Mappings table's model, kept free of Vue so it can be tested and memoised: column specs with
 * their comparators, the search predicate, and the flat list of items (group headers + rows) that
 * the virtual table renders a window of.
 */
export type ColumnKey =
  | 'protocol'
  | 'externalPort'
  | 'host'
  | 'internalPort'
  | 'description'
  | 'source'
  | 'age'
  | 'idle'
  | 'status'
  | 'actions';

export interface ColumnSpec {
  key: ColumnKey;
  title: string;
  /** px; undefined = takes the rest (description). */
  width?: number;
  compare?: (a: Row, b: Row) => number;
}

export type SortOrder = 'ascend' | 'descend';
export interface SortState {
  key: ColumnKey;
  order: SortOrder;
}

const hostOf = (r: Row) => r.owner.hostName ?? r.internalAddress;
const lastOf = (r: Row) => r.lastTrafficAt ?? r.firstSeenAt;

export const COLUMNS: ColumnSpec[] = [
  { key: 'protocol', title: 'Proto', width: 80, compare: (a, b) => a.protocol.localeCompare(b.protocol) },
  { key: 'externalPort', title: 'Ext. port', width: 90, compare: (a, b) => a.externalPort - b.externalPort },
  { key: 'host', title: 'Internal host', width: 230, compare: (a, b) => hostOf(a).localeCompare(hostOf(b)) },
  { key: 'internalPort', title: 'Int. port', width: 90, compare: (a, b) => a.internalPort - b.internalPort },
  { key: 'description', title: 'Description', compare: (a, b) => a.description.localeCompare(b.description) },
  { key: 'source', title: 'Source', width: 90, compare: (a, b) => a.source.localeCompare(b.source) },
  // "Known for": how long the mapping is known to exist on this router (issue 11: not an age PortPilot
  // cannot know). Age and idle sort by duration: the youngest first.
  { key: 'age', title: 'Known for', width: 100, compare: (a, b) => b.knownSinceAt - a.knownSinceAt },
  { key: 'idle', title: 'Idle', width: 90, compare: (a, b) => lastOf(b) - lastOf(a) },
  { key: 'status', title: 'Status', width: 100, compare: (a, b) => a.status.localeCompare(b.status) },
  { key: 'actions', title: '', width: 48 },
];

export const ageOf = (r: Row, now: number): number => Math.max(0, now - r.knownSinceAt);
export const idleOf = (r: Row, now: number): number => Math.max(0, now - lastOf(r));

export const sourceLabel = (r: Row): string =>
  r.source === 'upnp' ? 'UPnP' : r.source === 'nat-pmp' ? 'NAT-PMP' : '?';
export const ageLabel = (r: Row, now: number): string => formatDuration(ageOf(r, now) / 1000);
/** Where the "Known for" figure comes from, in words (the cell's tooltip). */
export function ageTitle(r: Row, now: number): string {
  const first = `First seen by PortPilot on this router ${formatDuration(Math.max(0, now - r.firstSeenAt) / 1000)} ago`;
  if (r.ageBasis !== 'owner-last-seen') return `${first}; it may be older.`;
  const who = r.owner.hostName ?? r.internalAddress;
  return `${first}; its device ${who} was last on the network ${formatDuration(ageOf(r, now) / 1000)} ago, so the mapping is at least that old.`;
}
/** No traffic seen yet: say so, rather than a misleading idle time counted from first sight. */
export const idleLabel = (r: Row, now: number): string =>
  r.lastTrafficAt === null ? 'none seen' : formatDuration(idleOf(r, now) / 1000);
export const ownerTitle = (r: Row): string =>
  [r.owner.mac, r.owner.vendor, r.owner.interface].filter(Boolean).join(' · ');

/**
 * Rows are replaced, never mutated, on every update (markRaw copies in the store), so a row's
 * lower-cased search text can be cached by identity: a search then costs one includes() per row.
 */
const haystacks = new WeakMap<Row, string>();
function haystackOf(r: Row): string {
  let text = haystacks.get(r);
  if (text === undefined) {
    text = [r.internalAddress, r.description, r.owner.hostName ?? '', r.owner.vendor ?? '']
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

/** Exact port, protocol or status; or a substring of address, description, host name or vendor. */
export function matches(r: Row, q: string): boolean {
  return matcher(q)(r);
}

/**
 * `matches` for one query over many rows: the query is parsed once, not per row (issue 14: a port
 * compared as `String(port) === q` made two strings per row on every keystroke).
 */
export function matcher(q: string): (r: Row) => boolean {
  if (!q) return () => true;
  const port = /^(0|[1-9]\d{0,4})$/.test(q) ? Number(q) : NaN; // exactly as String(port) prints it
  return (r) =>
    r.externalPort === port ||
    r.internalPort === port ||
    r.status === q ||
    r.protocol === q ||
    haystackOf(r).includes(q);
}

/** A new sorted array (stable: ties keep the store's order); the input is never mutated. */
export function sortRows(rows: readonly Row[], sort: SortState | null): readonly Row[] {
  const compare = sort && COLUMNS.find((c) => c.key === sort.key)?.compare;
  if (!sort || !compare) return rows;
  const sign = sort.order === 'ascend' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b));
}

export interface GroupItem {
  kind: 'group';
  id: string;
  address: string;
  label: string;
  count: number;
  collapsed: boolean;
}
/** Rows stand for themselves (no 10,000 wrapper objects per change); group headers are marked. */
export type Item = GroupItem | Row;
export const isGroup = (it: Item): it is GroupItem => 'kind' in it;

/**
 * Group by device (internal address): one header item per owner, in order of its first row, then
 * its rows unless collapsed. Flat, so the virtual table windows it like any other list.
 */
export function groupedItems(rows: readonly Row[], collapsed: ReadonlySet<string>): Item[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const list = groups.get(r.internalAddress);
    if (list) list.push(r);
    else groups.set(r.internalAddress, [r]);
  }
  const out: Item[] = [];
  for (const [address, list] of groups) {
    const first = list[0] as Row;
    const closed = collapsed.has(address);
    const label = `${first.owner.hostName ?? address} (${address}) · ${list.length} mapping${list.length === 1 ? '' : 's'}`;
    out.push({ kind: 'group', id: `group:${address}`, address, label, count: list.length, collapsed: closed });
    if (!closed) for (const row of list) out.push(row);
  }
  return out;
}

/** The window of items to render for a scroll position: [start, end) with some overscan. */
export function visibleRange(
  scrollTop: number,
  viewport: number,
  rowHeight: number,
  total: number,
  overscan = 8,
): { start: number; end: number } {
  const start = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const end = Math.min(total, Math.ceil((scrollTop + viewport) / rowHeight) + overscan);
  return { start, end: Math.max(start, end) };
}
