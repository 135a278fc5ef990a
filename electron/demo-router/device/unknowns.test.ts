/** The demo router's switches for what real RouterOS 7 may or may not allow, and the unknown-command trap. */
import { describe, expect, it } from 'vitest';
import type { MappingRequest } from '../mapping-backend';
import { DemoDevice } from './device';
import type { Profile } from './registry';
import { buildScenario } from './scenarios/index';
import { defaultUnknowns, type Unknowns } from './unknowns';
import { firstUnknown } from './unknown-path';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function home(profile: Profile = 'routeros7', unknowns: Partial<Unknowns> = {}): DemoDevice {
  const dev = new DemoDevice({ profile, unknowns });
  buildScenario(dev, 'home');
  return dev;
}

const forPlex = (clientAddress: string): MappingRequest => ({
  source: 'upnp',
  protocol: 'tcp',
  externalPort: 55000,
  internalAddress: '192.168.88.10',
  internalPort: 55000,
  description: 'ApplicationX',
  leaseSeconds: 0,
  remoteHost: '',
  enabled: true,
  clientAddress,
  allowAlternativePort: false,
});

const dynamicRuleOf = (dev: DemoDevice, port: number) =>
  dev.print('/ip/firewall/nat', {}, ctx).find((r) => r.dynamic === 'true' && r['dst-port'] === String(port));

describe('demo router switches (the unknowns of real RouterOS 7)', () => {
  it('defaults to the strictest plausible RouterOS; seed keeps the guide’s removable rules', () => {
    expect(defaultUnknowns('routeros7')).toEqual({
      dynamicRemove: 'refuse',
      foreignDelete: 'refuse',
      foreignAdd: 'refuse',
    });
    expect(defaultUnknowns('seed')).toEqual({ dynamicRemove: 'allow', foreignDelete: 'refuse', foreignAdd: 'refuse' });
    expect(home().unknowns).toEqual(defaultUnknowns('routeros7'));
  });

  it.each(['allow', 'refuse'] as const)('--dynamic-remove %s: the API removes a dynamic rule or refuses', (value) => {
    const dev = home('routeros7', { dynamicRemove: value });
    const id = dynamicRuleOf(dev, 9307)?.['.id'] ?? '';
    const remove = () => dev.command('/ip/firewall/nat', 'remove', { '.id': id }, ctx);
    if (value === 'refuse') {
      expect(remove).toThrow(/^failure: cannot remove dynamic entry/);
      expect(dev.backend.get('upnp', 'udp', 9307)).toBeDefined();
    } else {
      remove();
      expect(dev.backend.get('upnp', 'udp', 9307)).toBeUndefined();
    }
  });

  it.each(['allow', 'refuse'] as const)(
    '--foreign-delete %s: another host deletes the mapping or is denied',
    (value) => {
      const dev = home('routeros7', { foreignDelete: value });
      // The PS4 (192.168.88.52) left days ago; this PC (192.168.88.30) asks to delete its mapping.
      const result = dev.backend.remove('upnp', 'udp', 9307, '192.168.88.30');
      if (value === 'refuse') {
        expect(result).toMatchObject({ ok: false, refusal: 'denied' });
        expect(dev.backend.get('upnp', 'udp', 9307)).toBeDefined();
      } else {
        expect(result).toEqual({ ok: true });
        expect(dynamicRuleOf(dev, 9307)).toBeUndefined();
      }
      // The owner itself may always delete its own mapping.
      expect(dev.backend.remove('upnp', 'udp', 3074, '192.168.88.20')).toEqual({ ok: true });
    },
  );

  it.each(['allow', 'refuse'] as const)('--foreign-add %s: a host maps for another one or is denied', (value) => {
    const dev = home('routeros7', { foreignAdd: value });
    const result = dev.backend.add(forPlex('192.168.88.30'));
    if (value === 'refuse') {
      expect(result).toMatchObject({ ok: false, refusal: 'denied' });
      expect(dynamicRuleOf(dev, 55000)).toBeUndefined();
    } else {
      expect(result).toMatchObject({ ok: true });
      expect(dynamicRuleOf(dev, 55000)).toMatchObject({ 'to-addresses': '192.168.88.10' });
    }
    // Mapping for itself is always allowed.
    expect(dev.backend.add(forPlex('192.168.88.10'))).toMatchObject({ ok: true });
  });
});

describe('unknown command trap: names only the first unknown path element, like RouterOS', () => {
  it('names the missing menu, directory or verb', () => {
    const dev = home();
    expect(() => dev.print('/ip/upnp/permissions', {}, ctx)).toThrow('no such command or directory (permissions)');
    expect(() => dev.print('/ip/upnp/mappings', {}, ctx)).toThrow('no such command or directory (mappings)');
    expect(() => dev.print('/ip/adress', {}, ctx)).toThrow('no such command or directory (adress)');
    expect(() => dev.print('/ip/nonsense/deeper', {}, ctx)).toThrow('no such command or directory (nonsense)');
    expect(() => dev.command('/ip/upnp', 'add', {}, ctx)).toThrow('no such command or directory (add)');
    expect(() => dev.command('/ip/firewall/nat', 'frobnicate', {}, ctx)).toThrow('(frobnicate)');
    expect(() => dev.command('/ip/upnp/permissions', 'add', {}, ctx)).toThrow('(permissions)');
    // The seed profile has the guide's menus.
    expect(home('seed').print('/ip/upnp/mappings', {}, ctx).length).toBeGreaterThan(0);
  });

  it('firstUnknown walks menus and the directories above them', () => {
    const menus = ['/ip/firewall/nat', '/ip/upnp'];
    expect(firstUnknown(menus, '/ip/firewall/nat', 'print')).toBe('print');
    expect(firstUnknown(menus, '/ip/firewall/filter')).toBe('filter');
    expect(firstUnknown(menus, '/system/resource')).toBe('system');
    expect(firstUnknown(menus, '/ip', 'print')).toBe('print');
  });
});
