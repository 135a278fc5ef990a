import { describe, expect, it } from 'vitest';
import { defaultGateway, parseProcNetRoute } from './default-gateway';

const TABLE = `Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT
wlan0\t00000000\t0158A8C0\t0003\t0\t0\t600\t00000000\t0\t0\t0
eth0\t00000000\t0100000A\t0003\t0\t0\t100\t00000000\t0\t0\t0
eth0\t0000000A\t00000000\t0001\t0\t0\t100\t00FFFFFF\t0\t0\t0
tun0\t00000000\t00000000\t0001\t0\t0\t50\t00000000\t0\t0\t0
`;

describe('default gateway', () => {
  it('parses /proc/net/route: gateway routes only, lowest metric first, little-endian hex', () => {
    expect(parseProcNetRoute(TABLE)).toEqual([
      { iface: 'eth0', gateway: '10.0.0.1', metric: 100 },
      { iface: 'wlan0', gateway: '192.168.88.1', metric: 600 },
    ]);
  });
  it('explains missing routes and unsupported platforms', async () => {
    await expect(defaultGateway({ platform: 'linux', readRouteTable: async () => TABLE })).resolves.toBe('10.0.0.1');
    await expect(
      defaultGateway({ platform: 'linux', readRouteTable: async () => TABLE.split('\n')[0] ?? '' }),
    ).rejects.toMatchObject({ code: 'no-gateway' });
    await expect(defaultGateway({ platform: 'win32' })).rejects.toMatchObject({
      code: 'unsupported-platform',
      message: expect.stringContaining('pass the gateway'),
    });
  });
});
