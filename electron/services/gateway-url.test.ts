import { describe, expect, it } from 'vitest';
import type { DescribedGateway } from '../igd-client';
import { createGatewayUrlResolver, hostOfTarget } from './gateway-url';

const gw = (location: string, isRouterOs: boolean): DescribedGateway =>
  ({ gateway: { location }, description: {}, isRouterOs }) as unknown as DescribedGateway;

describe('gateway URL resolver', () => {
  it('prefers the demo router, then the gateway at the router address, then any RouterOS one', async () => {
    let demo: string | null = 'http://127.0.0.1:1/gateway.xml';
    const found = [gw('http://192.168.1.1:5000/rootDesc.xml', false), gw('http://192.168.88.1:2828/gateway.xml', true)];
    const r = createGatewayUrlResolver({
      demoUrl: () => demo,
      find: async () => found,
      probe: async () => Promise.reject(new Error('no')),
    });
    expect(r.url()).toBe('http://127.0.0.1:1/gateway.xml');
    demo = null;
    await r.routerChanged('192.168.88.1');
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    await r.routerChanged('10.0.0.1');
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    await r.routerChanged(null);
    expect(r.url()).toBeNull();
  });

  it('falls back to RouterOS’s fixed description location when SSDP finds nothing', async () => {
    const probed: string[] = [];
    const r = createGatewayUrlResolver({
      demoUrl: () => null,
      find: async () => [],
      probe: async (url) => void probed.push(url),
    });
    await r.routerChanged('192.168.88.1');
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    const none = createGatewayUrlResolver({
      demoUrl: () => null,
      find: async () => [],
      probe: () => Promise.reject(new Error('x')),
    });
    await none.routerChanged('192.168.88.1');
    expect(none.url()).toBeNull();
  });
});

describe('hostOfTarget', () => {
  it('reads the host of a session label', () => {
    expect(hostOfTarget('admin@192.168.88.1:8728')).toBe('192.168.88.1');
    expect(hostOfTarget('admin@[fd00::1]:8729')).toBe('fd00::1');
    expect(hostOfTarget('demo router (routeros7, home)')).toBeNull();
  });
});
