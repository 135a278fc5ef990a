import { describe, expect, it } from 'vitest';
import type { DemoEndpoints } from '../core/router-link';
import type { DescribedGateway } from '../igd-client';
import { createGatewayUrlResolver } from './gateway-url';

const at = (host: string, endpoints: DemoEndpoints | null = null) => ({ host, endpoints });
const gw = (location: string, isRouterOs: boolean): DescribedGateway =>
  ({ gateway: { location }, description: {}, isRouterOs }) as unknown as DescribedGateway;

describe('gateway URL resolver', () => {
  it('prefers the demo router, then the gateway at the router address, then any RouterOS one', async () => {
    const found = [gw('http://192.168.1.1:5000/rootDesc.xml', false), gw('http://192.168.88.1:2828/gateway.xml', true)];
    const r = createGatewayUrlResolver({
      find: async () => found,
      probe: async () => Promise.reject(new Error('no')),
    });
    const natPmp = { host: '127.0.0.1', port: 5351 };
    await r.routerChanged(at('127.0.0.1', { rootDescriptionUrl: 'http://127.0.0.1:1/gateway.xml', natPmp }));
    expect(r.url()).toBe('http://127.0.0.1:1/gateway.xml');
    await r.routerChanged(at('192.168.88.1'));
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    await r.routerChanged(at('10.0.0.1'));
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    await r.routerChanged(null);
    expect(r.url()).toBeNull();
  });

  it('falls back to RouterOS’s fixed description location when SSDP finds nothing', async () => {
    const probed: string[] = [];
    const r = createGatewayUrlResolver({
      find: async () => [],
      probe: async (url) => void probed.push(url),
    });
    await r.routerChanged(at('192.168.88.1'));
    expect(r.url()).toBe('http://192.168.88.1:2828/gateway.xml');
    const none = createGatewayUrlResolver({
      find: async () => [],
      probe: () => Promise.reject(new Error('x')),
    });
    await none.routerChanged(at('192.168.88.1'));
    expect(none.url()).toBeNull();
  });
});
