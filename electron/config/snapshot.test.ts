import { describe, expect, it } from 'vitest';
import { printEachVia, type RouterPort } from '../core/router-port';
import { readSnapshot } from './snapshot';
import { demo } from './test-support';

/** The demo router behind a port that refuses to print /ip/route whole, as a BGP router's table would. */
function bgpSized(router: RouterPort, seen: Array<{ query?: string[]; proplist?: string[] }>): RouterPort {
  const port: RouterPort = {
    get capabilities() {
      return router.capabilities;
    },
    print: async (menu, options = {}) => {
      if (menu !== '/ip/route') return router.print(menu, options);
      seen.push(options);
      if (!options.query?.length) throw new Error('sent 1,000,000 rows: over the reply limit');
      return router.print(menu, options);
    },
    add: (...a) => router.add(...a),
    set: (...a) => router.set(...a),
    remove: (...a) => router.remove(...a),
    command: (...a) => router.command(...a),
    listen: (...a) => router.listen(...a),
    printEach: (menu, onRow, options) => printEachVia(port.print)(menu, onRow, options),
  };
  return port;
}

describe('readSnapshot', () => {
  it('asks the router for the default routes only, and still finds the WAN interface', async () => {
    const { router, device } = demo('routeros7', 'home');
    // Many more-specific routes, as a router with a routing protocol has.
    for (let i = 0; i < 50; i++)
      device.table('/ip/route').add({ 'dst-address': `10.${i}.0.0/16`, gateway: '192.168.88.254' });
    const seen: Array<{ query?: string[]; proplist?: string[] }> = [];
    const s = await readSnapshot(bgpSized(router, seen));
    expect(seen).toEqual([
      { query: ['?dst-address=0.0.0.0/0'], proplist: ['dst-address', 'gateway', 'immediate-gw', 'disabled'] },
    ]);
    expect(s.defaultRouteInterfaces).toEqual(['ether1']);
  });
});
