import { describe, expect, it } from 'vitest';
import { demo } from '../config/test-support';
import { readContext } from './context';
import { listDevices, platformOf } from './devices';

describe('device picker', () => {
  it('recognises consoles by MAC vendor alone (IEEE OUI via oui-data)', async () => {
    const { device, router } = demo('routeros7', 'home');
    // Hide the telling host names: the vendor must be enough.
    for (const lease of device.table('/ip/dhcp-server/lease').all())
      device
        .table('/ip/dhcp-server/lease')
        .update(lease, { 'host-name': 'device', 'active-host-name': 'device' }, true);
    const devices = listDevices(await readContext(router));
    const by = Object.fromEntries(devices.map((d) => [d.address, d]));
    expect(by['192.168.88.20']).toMatchObject({
      platform: 'playstation',
      console: true,
      vendor: expect.stringMatching(/Sony Interactive/),
    });
    expect(by['192.168.88.21']).toMatchObject({ platform: 'xbox', console: true });
    expect(by['192.168.88.22']).toMatchObject({ platform: 'switch', console: true });
    expect(by['192.168.88.30']).toMatchObject({ platform: 'other', console: false });
    expect(devices.slice(0, 3).every((d) => d.console)).toBe(true);
    expect(by['192.168.88.50']?.online).toBe(false);
  });

  it('host names decide when there is no vendor; VoIP phones are recognised', () => {
    expect(platformOf('PS5-Living-Room', null)).toBe('playstation');
    expect(platformOf('Yealink-T46U', null)).toBe('voip');
    expect(platformOf('steam-deck', null)).toBe('steam');
    expect(platformOf('nas', null)).toBe('other');
  });
});
