import { describe, expect, it } from 'vitest';
import type { Row } from '../../stores/mappings';
import { ageLabel, ageTitle, COLUMNS, groupedItems, isGroup, leaseLabel, sortRows, visibleRange } from './columns';
import { matches } from './filter';
import { mappingView } from '../../../../shared/testing/mapping-view';

const row = (id: string, over: Partial<Row> = {}): Row =>
  ({
    ...mappingView(1000, {
      id,
      description: 'Plex Media Server',
      ruleIds: [],
      owner: { hostName: 'plex-server', vendor: 'Synology' },
    }),
    mark: null,
    ...over,
  }) as Row;

describe('Mappings table model', () => {
  const a = row('tcp/3074', {
    externalPort: 3074,
    internalAddress: '192.168.88.20',
    owner: { hostName: 'PS5', mac: null, vendor: null, interface: null },
  });
  const b = row('tcp/80', { externalPort: 80, description: 'Web' });
  const c = row('udp/80', { protocol: 'udp', externalPort: 80, status: 'stale' });

  it('sorts by a column both ways, stably, without touching the input', () => {
    const rows = [a, b, c];
    expect(sortRows(rows, { key: 'externalPort', order: 'ascend' }).map((r) => r.id)).toEqual([
      'tcp/80',
      'udp/80',
      'tcp/3074',
    ]);
    expect(sortRows(rows, { key: 'externalPort', order: 'descend' }).map((r) => r.id)).toEqual([
      'tcp/3074',
      'tcp/80',
      'udp/80',
    ]);
    expect(sortRows(rows, null)).toBe(rows);
    expect(rows.map((r) => r.id)).toEqual(['tcp/3074', 'tcp/80', 'udp/80']);
  });

  it('matches exact ports, protocol, status and substrings of host, vendor, address, description', () => {
    expect(matches(a, '3074')).toBe(true);
    expect(matches(a, '307')).toBe(false);
    expect(matches(a, '03074')).toBe(false);
    expect(matches(c, 'udp')).toBe(true);
    expect(matches(c, 'stale')).toBe(true);
    expect(matches(a, 'ps5')).toBe(true);
    expect(matches(b, 'synology')).toBe(true);
    expect(matches(b, '88.10')).toBe(true);
    expect(matches(b, 'web')).toBe(true);
    expect(matches(a, 'web')).toBe(false);
    // Fields are searched apart: no match across the boundary of two fields.
    expect(matches(b, '10plex')).toBe(false);
  });

  it('groups by device in order of first row, and hides the rows of a collapsed group', () => {
    const items = groupedItems([b, a, c], new Set());
    expect(items.map((i) => i.id)).toEqual([
      'group:192.168.88.10',
      'tcp/80',
      'udp/80',
      'group:192.168.88.20',
      'tcp/3074',
    ]);
    const head = items[0];
    expect(head && isGroup(head) && head.label).toBe('plex-server (192.168.88.10) · 2 mappings');
    const closed = groupedItems([b, a, c], new Set(['192.168.88.10']));
    expect(closed.map((i) => i.id)).toEqual(['group:192.168.88.10', 'group:192.168.88.20', 'tcp/3074']);
  });

  it('windows the rows in view plus overscan, clamped to the list', () => {
    expect(visibleRange(0, 340, 34, 10_000, 5)).toEqual({ start: 0, end: 15 });
    expect(visibleRange(34 * 100, 340, 34, 10_000, 5)).toEqual({ start: 95, end: 115 });
    expect(visibleRange(34 * 9_995, 340, 34, 10_000, 5)).toEqual({ start: 9_990, end: 10_000 });
    expect(visibleRange(34 * 500, 340, 34, 3, 5)).toEqual({ start: 495, end: 495 });
  });

  it('"Known for" is since the device was last seen when that is earlier, and says so', () => {
    const day = 86_400_000;
    const now = 10 * day;
    const gone = row('tcp/51413', {
      firstSeenAt: now - 8000,
      knownSinceAt: now - 6 * day,
      ageBasis: 'owner-last-seen',
      owner: {
        hostName: 'old-laptop',
        mac: null,
        vendor: null,
        interface: null,
        present: false,
        lastSeenAt: now - 6 * day,
      },
    });
    expect(ageLabel(gone, now)).toBe('6d 0h');
    expect(ageTitle(gone, now)).toBe(
      'First seen by PortPilot on this router 8s ago; its device old-laptop was last on the network 6d 0h ago, so the mapping is at least that old.',
    );
    const fresh = row('udp/3074', { firstSeenAt: now - 8000, knownSinceAt: now - 8000 });
    expect(ageLabel(fresh, now)).toBe('8s');
    expect(ageTitle(fresh, now)).toBe('First seen by PortPilot on this router 8s ago; it may be older.');
    expect(sortRows([fresh, gone], { key: 'age', order: 'descend' }).map((r) => r.id)).toEqual([
      'tcp/51413',
      'udp/3074',
    ]);
  });

  it('names every column in plain words, never a RouterOS field name', () => {
    const titles = COLUMNS.map((c) => c.title);
    expect(titles).toEqual([
      'Protocol',
      'Public port',
      'Device',
      'Description',
      'Status',
      'Idle',
      'Known for',
      'Vendor',
      'MAC address',
      'Interface',
      'Device port',
      'Opened via',
      'Lease',
      'Actions',
    ]);
    for (const t of titles) expect(t).not.toMatch(/[a-z][A-Z]|-|\./); // dstPort, dst-address, to.ports
  });

  it('says what is known of the lease: UPnP on RouterOS is permanent, NAT-PMP lives until not renewed', () => {
    expect(leaseLabel(a, false).text).toBe('Permanent');
    expect(leaseLabel(a, true).text).toBe('Set by device');
    expect(leaseLabel(row('udp/5353', { source: 'nat-pmp' }), false).text).toBe('Until not renewed');
    expect(leaseLabel(row('udp/5353', { source: 'nat-pmp' }), false).title).toMatch(/RouterOS does not show/);
    expect(leaseLabel(row('udp/1', { source: 'unknown' }), false).text).toBe('Unknown');
  });
});
