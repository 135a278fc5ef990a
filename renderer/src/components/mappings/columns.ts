import type { Row } from '../../stores/mappings';
import { formatDuration } from '../../composables/format';

/**
 * The Mappings table's model, kept free of Vue so it can be tested and memoised: column specs with
 * their comparators, the cells' words, and the flat list of items (group headers + rows) that
 * the virtual table renders a window of. The search predicate is in filter.ts.
 */
export type ColumnKey =
  | 'protocol'
  | 'externalPort'
  | 'host'
  | 'mac'
  | 'vendor'
  | 'internalPort'
  | 'description'
  | 'source'
  | 'interface'
  | 'lease'
  | 'age'
  | 'idle'
  | 'status'
  | 'actions';

export interface ColumnSpec {
  key: ColumnKey;
  /** Plain words for people (issue 13: never a RouterOS field name such as dstPort). */
  title: string;
  /** What the header means, for the header's tooltip. */
  hint?: string;
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

const text = (f: (r: Row) => string | null) => (a: Row, b: Row) => (f(a) ?? '').localeCompare(f(b) ?? '');

// What matters most comes first (a 1280-px window shows up to "Known for"; the rest scrolls sideways,
// the actions column stays in view).
export const COLUMNS: ColumnSpec[] = [
  { key: 'protocol', title: 'Protocol', width: 84, compare: text((r) => r.protocol) },
  {
    key: 'externalPort',
    title: 'Public port',
    hint: 'The port opened on the router’s Internet side',
    width: 100,
    compare: (a, b) => a.externalPort - b.externalPort,
  },
  { key: 'host', title: 'Device', width: 210, compare: text(hostOf) },
  { key: 'description', title: 'Description', compare: text((r) => r.description) },
  { key: 'status', title: 'Status', width: 84, compare: text((r) => r.status) },
  { key: 'idle', title: 'Idle', width: 88, compare: (a, b) => lastOf(b) - lastOf(a) },
  // "Known for": how long the mapping is known to exist on this router (issue 11: not an age PortPilot
  // cannot know). Age and idle sort by duration: the youngest first.
  { key: 'age', title: 'Known for', width: 100, compare: (a, b) => b.knownSinceAt - a.knownSinceAt },
  { key: 'vendor', title: 'Vendor', width: 150, compare: text((r) => r.owner.vendor) },
  { key: 'mac', title: 'MAC address', width: 150, compare: text((r) => r.owner.mac) },
  {
    key: 'interface',
    title: 'Interface',
    hint: 'The router interface the device is on',
    width: 100,
    compare: text((r) => r.owner.interface),
  },
  {
    key: 'internalPort',
    title: 'Device port',
    hint: 'The port on the device the traffic goes to',
    width: 104,
    compare: (a, b) => a.internalPort - b.internalPort,
  },
  { key: 'source', title: 'Opened via', width: 104, compare: text((r) => r.source) },
  { key: 'lease', title: 'Lease', hint: 'How long the router keeps the mapping', width: 130 },
  { key: 'actions', title: 'Actions', width: 56 },
];

/** The table's minimum width: the fixed columns plus room for the description. */
export const TABLE_MIN_WIDTH = COLUMNS.reduce((sum, c) => sum + (c.width ?? 200), 0);

export const STATUS_LABELS: Record<Row['status'], string> = {
  active: 'Active',
  idle: 'Idle',
  stale: 'Stale',
  disabled: 'Disabled',
};

/**
 * What is known about how long the router keeps a mapping. RouterOS 7 takes permanent UPnP leases
 * only (routeros-facts.md: AddPortMapping with a lease > 0 is SOAP fault 725), so a UPnP mapping stays
 * until it is removed or UPnP restarts; routers with the guide's /ip upnp mappings menu take leases
 * that expire. A NAT-PMP mapping carries a lifetime its device renews (RFC 6886 §3.3), which RouterOS
 * does not show.
 */
export function leaseLabel(r: Row, upnpLeasesExpire: boolean): { text: string; title: string } {
  if (r.source === 'nat-pmp')
    return {
      text: 'Until not renewed',
      title:
        'NAT-PMP mappings carry a lifetime (often one or two hours) that the device renews while it needs the port. RouterOS does not show the time left, so PortPilot cannot either.',
    };
  if (r.source === 'upnp' && !upnpLeasesExpire)
    return {
      text: 'Permanent',
      title:
        'RouterOS accepts only permanent UPnP leases: the mapping stays until it is removed, UPnP restarts or the router reboots.',
    };
  if (r.source === 'upnp')
    return {
      text: 'Set by device',
      title: 'This router takes UPnP leases that expire; the router’s own mappings list shows the time left.',
    };
  return { text: 'Unknown', title: 'PortPilot cannot tell which service made this mapping.' };
}

export const ageOf = (r: Row, now: number): number => Math.max(0, now - r.knownSinceAt);
export const idleOf = (r: Row, now: number): number => Math.max(0, now - lastOf(r));

export const sourceLabel = (r: Row): string =>
  r.source === 'upnp' ? 'UPnP' : r.source === 'nat-pmp' ? 'NAT-PMP' : 'Unknown';
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
/** The device cell's tooltip: whether it is on the network now. */
export const ownerTitle = (r: Row): string =>
  `${r.owner.hostName ?? 'No host name known'} at ${r.internalAddress}: ${r.owner.present ? 'on the network now' : 'not on the network now'}`;

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
