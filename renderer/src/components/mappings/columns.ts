import type { DataTableColumns } from 'naive-ui';
import { h } from 'vue';
import type { Row } from '../../stores/mappings';
import { formatDuration } from '../../composables/format';

export type TableRow = Row & { children?: TableRow[]; groupLabel?: string };

const STATUS_COLOR: Record<string, string> = {
  active: '#18a058',
  idle: '#909399',
  stale: '#d03050',
  disabled: '#a0a0a0',
};

export const ageOf = (r: Row, now: number): number => Math.max(0, now - r.firstSeenAt);
export const idleOf = (r: Row, now: number): number => Math.max(0, now - (r.lastTrafficAt ?? r.firstSeenAt));

/** Columns of the Mappings table; render functions stay tiny so 10,000 virtual rows scroll smoothly. */
export function mappingColumns(
  now: () => number,
  onMenu: (row: Row, e: MouseEvent) => void,
): DataTableColumns<TableRow> {
  return [
    {
      title: 'Proto',
      key: 'protocol',
      width: 80,
      sorter: (a, b) => a.protocol.localeCompare(b.protocol),
      render: (r) => (r.groupLabel ? h('b', r.groupLabel) : r.protocol.toUpperCase()),
      colSpan: (r) => (r.groupLabel ? 4 : 1),
    },
    { title: 'Ext. port', key: 'externalPort', width: 90, sorter: (a, b) => a.externalPort - b.externalPort },
    {
      title: 'Internal host',
      key: 'host',
      width: 230,
      sorter: (a, b) => (a.owner.hostName ?? a.internalAddress).localeCompare(b.owner.hostName ?? b.internalAddress),
      render: (r) =>
        h('span', { title: [r.owner.mac, r.owner.vendor, r.owner.interface].filter(Boolean).join(' · ') }, [
          r.owner.hostName ?? '—',
          h('span', { class: 'addr' }, ` ${r.internalAddress}`),
        ]),
    },
    { title: 'Int. port', key: 'internalPort', width: 90, sorter: (a, b) => a.internalPort - b.internalPort },
    {
      title: 'Description',
      key: 'description',
      ellipsis: { tooltip: true },
      sorter: (a, b) => a.description.localeCompare(b.description),
    },
    {
      title: 'Source',
      key: 'source',
      width: 90,
      sorter: (a, b) => a.source.localeCompare(b.source),
      render: (r) => (r.groupLabel ? '' : r.source === 'upnp' ? 'UPnP' : r.source === 'nat-pmp' ? 'NAT-PMP' : '?'),
    },
    {
      title: 'Age',
      key: 'age',
      width: 90,
      sorter: (a, b) => b.firstSeenAt - a.firstSeenAt,
      render: (r) => (r.groupLabel ? '' : formatDuration(ageOf(r, now()) / 1000)),
    },
    {
      title: 'Idle',
      key: 'idle',
      width: 90,
      sorter: (a, b) => (b.lastTrafficAt ?? b.firstSeenAt) - (a.lastTrafficAt ?? a.firstSeenAt),
      // No traffic seen yet: say so, rather than a misleading idle time counted from first sight.
      render: (r) =>
        r.groupLabel ? '' : r.lastTrafficAt === null ? 'none seen' : formatDuration(idleOf(r, now()) / 1000),
    },
    {
      title: 'Status',
      key: 'status',
      width: 100,
      sorter: (a, b) => a.status.localeCompare(b.status),
      render: (r) =>
        r.groupLabel
          ? ''
          : h(
              'span',
              { style: { color: STATUS_COLOR[r.status] }, title: r.staleReasons.map((s) => s.detail).join('\n') },
              r.status,
            ),
    },
    {
      title: '',
      key: 'actions',
      width: 48,
      render: (r) =>
        r.groupLabel
          ? ''
          : h(
              'button',
              { class: 'more', 'aria-label': `Actions for ${r.id}`, onClick: (e: MouseEvent) => onMenu(r, e) },
              '⋯',
            ),
    },
  ];
}

export function matches(r: Row, q: string): boolean {
  if (!q) return true;
  return (
    String(r.externalPort) === q ||
    String(r.internalPort) === q ||
    r.internalAddress.includes(q) ||
    r.description.toLowerCase().includes(q) ||
    (r.owner.hostName?.toLowerCase().includes(q) ?? false) ||
    (r.owner.vendor?.toLowerCase().includes(q) ?? false) ||
    r.status === q ||
    r.protocol === q
  );
}

/** Group by device: one parent row per owner with its mappings as children (tree data). */
export function grouped(rows: Row[]): TableRow[] {
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r.internalAddress;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  return [...groups.entries()].map(([address, list]) => {
    const first = list[0] as Row;
    const label = `${first.owner.hostName ?? address} (${address}) · ${list.length} mapping${list.length === 1 ? '' : 's'}`;
    return { ...first, id: `group:${address}`, groupLabel: label, children: list };
  });
}
