import { describe, expect, it } from 'vitest';
import { emptyEnrichment, type Enrichment } from './enrichment';
import { subnetOf } from './model';
import { ViewMemo, ViewMemoCache } from './view-memo';

function enrichment(): Enrichment {
  const e = emptyEnrichment(0);
  e.hosts.set('192.168.88.10', {
    hostName: 'ps5',
    mac: 'F8:46:1C:00:00:01',
    interface: 'bridge-lan',
    present: true,
    lastSeenAt: 0,
  });
  return e;
}

describe('ViewMemo', () => {
  it('builds one owner per address and looks each MAC’s vendor up once', () => {
    const e = enrichment();
    const lookups: string[] = [];
    const memo = new ViewMemo(e, (mac) => (mac ? (lookups.push(mac), 'Sony Interactive Entertainment Inc.') : null));
    const a = memo.owner('192.168.88.10', e.hosts.get('192.168.88.10'));
    const b = memo.owner('192.168.88.10', e.hosts.get('192.168.88.10'));
    expect(a).toBe(b);
    expect(a).toEqual({
      hostName: 'ps5',
      mac: 'F8:46:1C:00:00:01',
      vendor: 'Sony Interactive Entertainment Inc.',
      interface: 'bridge-lan',
      present: true,
      lastSeenAt: 0,
    });
    expect(memo.owner('192.168.88.99', undefined)).toMatchObject({ hostName: null, mac: null, vendor: null });
    expect(lookups).toEqual(['F8:46:1C:00:00:01']);
  });

  it('answers "in a subnet" per list of subnets and address', () => {
    const lan = [subnetOf('192.168.88.1/24', 'bridge-lan')!];
    const guest = [subnetOf('10.0.20.1/24', 'vlan20')!];
    const memo = new ViewMemo(emptyEnrichment(0), null);
    expect(memo.inAny('192.168.88.10', lan)).toBe(true);
    expect(memo.inAny('192.168.88.10', guest)).toBe(false);
    expect(memo.inAny('10.0.20.5', guest)).toBe(true);
    expect(memo.inAny('not an address', lan)).toBe(false);
  });

  it('the cache keeps a memo until the enrichment or the vendor table is replaced', () => {
    const cache = new ViewMemoCache();
    const e = enrichment();
    const first = cache.current(e, null);
    expect(cache.current(e, null)).toBe(first);
    expect(cache.current(enrichment(), null)).not.toBe(first);
    const vendor = () => 'x';
    const withVendor = cache.current(e, vendor);
    expect(withVendor).not.toBe(first);
    expect(withVendor.owner('192.168.88.10', e.hosts.get('192.168.88.10')).vendor).toBe('x');
  });
});
