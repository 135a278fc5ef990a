import { describe, expect, it } from 'vitest';
import { demo } from '../../config/test-support';
import { readOverview } from './overview';

describe('Overview', () => {
  it('a public WAN address is said to be public', async () => {
    const o = await readOverview(demo('routeros7', 'home').router);
    expect(o.wanAddress).toBe('81.2.69.142');
    expect(o.wanKind).toBe('public');
  });

  it('a private WAN address is flagged (double NAT: another router in front does NAT too)', async () => {
    const o = await readOverview(demo('routeros7', 'nat-type-3').router);
    expect(o.wanAddress).toMatch(/^(10\.|192\.168\.|172\.(1[6-9]|2\d|3[01])\.)/);
    expect(o.wanKind).toBe('private');
  });

  it('says what the router cannot do in plain words first, the RouterOS menu only in brackets', async () => {
    const o = await readOverview(demo('routeros7', 'home').router);
    expect(o.notes.length).toBeGreaterThan(0);
    for (const note of o.notes) expect(note).not.toMatch(/^This RouterOS has no \/ip|the guide/i);
    expect(o.notes.join(' ')).toMatch(/cannot be limited to some ports or devices/);
  });
});
