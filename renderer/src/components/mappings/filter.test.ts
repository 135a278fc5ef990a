import { describe, expect, it } from 'vitest';
import type { Row } from '../../stores/mappings';
import { matcher, statusCounts } from './filter';

const row = (id: string, over: Partial<Row> = {}): Row =>
  ({
    id,
    protocol: 'tcp',
    externalPort: 1000,
    internalAddress: '192.168.88.10',
    internalPort: 1000,
    description: 'app',
    source: 'upnp',
    owner: { hostName: 'host', mac: 'AC:89:95:00:00:01', vendor: null, interface: 'bridge-lan' },
    status: 'active',
    staleReasons: [],
    mark: null,
    ...over,
  }) as Row;

describe('Mappings filter', () => {
  const active = row('tcp/1', { externalPort: 1 });
  const stale = row('tcp/2', { externalPort: 2, status: 'stale', description: 'old game' });
  const leaving = row('tcp/3', { externalPort: 3, status: 'stale', mark: 'leaving' });
  const rows = [active, stale, leaving];

  it('a status chip keeps only that status, with or without a search', () => {
    expect(rows.filter(matcher('', 'stale')).map((r) => r.id)).toEqual(['tcp/2', 'tcp/3']);
    expect(rows.filter(matcher('game', 'stale')).map((r) => r.id)).toEqual(['tcp/2']);
    expect(rows.filter(matcher('game', 'active'))).toEqual([]);
    expect(rows.filter(matcher('', null))).toEqual(rows);
  });

  it('searches the MAC address and the interface too (lower-cased, as typed into the box)', () => {
    expect(rows.filter(matcher('ac:89:95')).length).toBe(3);
    expect(rows.filter(matcher('bridge-lan')).length).toBe(3);
    expect(rows.filter(matcher('vlan20')).length).toBe(0);
  });

  it('counts each status for the chips, leaving rows no longer', () => {
    expect(statusCounts(rows)).toEqual({ active: 1, idle: 0, stale: 1, disabled: 0 });
  });
});
