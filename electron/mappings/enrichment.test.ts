import { describe, expect, it } from 'vitest';
import type { RawRow, RouterPort } from '../core/router-port';
import { readEnrichment } from './enrichment';

const ROWS: Record<string, RawRow[]> = {
  '/ip/address': [
    { address: '192.168.88.1/24', interface: 'bridge' },
    { address: '10.0.0.2/24', interface: 'ether1' },
    { address: '192.168.99.1/24', interface: 'guest', disabled: 'true' },
  ],
  '/ip/upnp/interfaces': [
    { interface: 'bridge', type: 'internal' },
    { interface: 'ether1', type: 'external' },
  ],
  '/ip/nat-pmp/interfaces': [{ interface: 'bridge', type: 'internal' }],
  '/ip/firewall/connection': [{ protocol: 'udp', 'reply-src-address': '192.168.88.20:3074' }],
};

describe('readEnrichment', () => {
  it('asks for everything in one round trip: no read waits for another (issue 14)', async () => {
    const asked: string[] = [];
    let answer: () => void = () => {};
    const gate = new Promise<void>((r) => (answer = r));
    const port = {
      capabilities: { menus: { natPmp: true, upnpMappings: false, upnpPermissions: true } },
      print: async (menu: string) => {
        asked.push(menu);
        await gate;
        return ROWS[menu] ?? [];
      },
    } as unknown as RouterPort;
    const reading = readEnrichment(port, 1000, { counters: false });
    await new Promise((r) => setImmediate(r));
    // Every read is out before any answer came.
    expect(asked.sort()).toEqual([
      '/ip/address',
      '/ip/arp',
      '/ip/dhcp-server/lease',
      '/ip/firewall/connection',
      '/ip/nat-pmp/interfaces',
      '/ip/upnp/interfaces',
    ]);
    answer();
    const e = await reading;
    expect(e.subnets.upnp.map((s) => s.cidr)).toEqual(['192.168.88.1/24']);
    expect(e.subnets.natPmp.map((s) => s.cidr)).toEqual(['192.168.88.1/24']);
    expect([...e.connections]).toEqual(['udp 192.168.88.20:3074']);
  });

  it('reads no NAT-PMP interface roles where the router has no NAT-PMP', async () => {
    const asked: string[] = [];
    const port = {
      capabilities: { menus: { natPmp: false, upnpMappings: false, upnpPermissions: true } },
      print: async (menu: string) => (asked.push(menu), ROWS[menu] ?? []),
    } as unknown as RouterPort;
    const e = await readEnrichment(port, 1000, { counters: false });
    expect(asked).not.toContain('/ip/nat-pmp/interfaces');
    expect(e.subnets.natPmp).toEqual([]);
    expect(e.subnets.upnp.map((s) => s.cidr)).toEqual(['192.168.88.1/24']);
  });
});
