import { describe, expect, it } from 'vitest';
import { ApiTrap, type Row } from '../api-device';
import { FakeClock } from './clock';
import { DemoDevice } from './device';
import { formatDuration } from '../../routeros/duration';
import { parseDurationField } from './values';

const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };

function device(profile: 'routeros7' | 'seed' = 'routeros7'): DemoDevice {
  const dev = new DemoDevice({ profile, clock: new FakeClock() });
  for (const name of ['ether1', 'ether2']) dev.table('/interface').add({ name, type: 'ether' }, { trusted: true });
  return dev;
}

function trap(fn: () => unknown): ApiTrap {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApiTrap) return err;
    throw err;
  }
  throw new Error('expected a trap');
}

const add = (dev: DemoDevice, path: string, attrs: Row): string => dev.command(path, 'add', attrs, ctx).ret ?? '';

describe('table semantics', () => {
  it('gives increasing *HEX ids that are never reused', () => {
    const dev = device();
    const ids = Array.from({ length: 11 }, (_, i) =>
      add(dev, '/ip/firewall/filter', { chain: 'input', comment: `r${i}` }),
    );
    expect(ids[0]).toBe('*1');
    expect(ids[9]).toBe('*A');
    dev.command('/ip/firewall/filter', 'remove', { '.id': '*B' }, ctx);
    expect(add(dev, '/ip/firewall/filter', { chain: 'input' })).toBe('*C');
  });

  it('normalises booleans to true/false and durations to RouterOS form', () => {
    const dev = device();
    dev.command('/ip/upnp', 'set', { enabled: 'yes', 'show-dummy-rule': 'no' }, ctx);
    const row = dev.print('/ip/upnp', {}, ctx)[0];
    expect(row).toMatchObject({ enabled: 'true', 'show-dummy-rule': 'false' });
    expect(row).not.toHaveProperty('.id');
    expect(trap(() => dev.command('/ip/upnp', 'set', { enabled: 'maybe' }, ctx)).message).toBe(
      'input does not match any value of enabled',
    );
    expect(formatDuration(93784_000)).toBe('1d2h3m4s');
    expect(formatDuration(300)).toBe('300ms');
    expect(formatDuration(8 * 86400_000)).toBe('1w1d');
    expect(parseDurationField('x', '1d2h3m4s')).toBe(93784_000);
    expect(parseDurationField('x', '00:05:00')).toBe(300_000);
    expect(parseDurationField('x', '90')).toBe(90_000); // input takes plain seconds
    expect([
      trap(() => parseDurationField('timeout', 'soon')).message,
      trap(() => parseDurationField('x', '')).category,
    ]).toEqual(['value of timeout must be time interval', 1]);
  });

  it('uses the real trap texts and categories', () => {
    const dev = device();
    const unknown = trap(() => add(dev, '/ip/firewall/nat', { chain: 'dstnat', colour: 'red' }));
    expect([unknown.message, unknown.category]).toEqual(['unknown parameter colour', 1]);
    const badIface = trap(() => add(dev, '/ip/upnp/interfaces', { interface: 'ether9', type: 'external' }));
    expect(badIface.message).toBe('input does not match any value of interface');
    const badEnum = trap(() => add(dev, '/ip/upnp/interfaces', { interface: 'ether1', type: 'sideways' }));
    expect(badEnum.message).toBe('input does not match any value of type');
    add(dev, '/ip/upnp/interfaces', { interface: 'ether1', type: 'external' });
    expect(trap(() => add(dev, '/ip/upnp/interfaces', { interface: 'ether1', type: 'internal' })).message).toBe(
      'failure: already have such entry',
    );
    const missing = trap(() => dev.command('/ip/firewall/nat', 'set', { '.id': '*99', comment: 'x' }, ctx));
    expect([missing.message, missing.category]).toEqual(['no such item', 0]);
    expect(trap(() => add(dev, '/ip/firewall/nat', { chain: 'dstnat', 'dst-port': '80' })).message).toMatch(
      /^failure: can have ports only/,
    );
  });

  it('set/remove/enable/disable accept comma-separated ids and validate all before changing any', () => {
    const dev = device();
    const a = add(dev, '/ip/firewall/filter', { chain: 'input' });
    const b = add(dev, '/ip/firewall/filter', { chain: 'forward' });
    dev.command('/ip/firewall/filter', 'disable', { '.id': `${a},${b}` }, ctx);
    expect(dev.print('/ip/firewall/filter', {}, ctx).map((r) => r.disabled)).toEqual(['true', 'true']);
    expect(() => dev.command('/ip/firewall/filter', 'set', { '.id': `${a},*77`, comment: 'x' }, ctx)).toThrow(
      'no such item',
    );
    expect(dev.table('/ip/firewall/filter').find(a)?.comment).toBeUndefined();
    dev.command('/ip/firewall/filter', 'enable', { numbers: a }, ctx);
    expect(dev.table('/ip/firewall/filter').find(a)?.disabled).toBe('false');
    dev.command('/ip/firewall/filter', 'remove', { '.id': `${a},${b}` }, ctx);
    expect(dev.print('/ip/firewall/filter', {}, ctx)).toEqual([]);
  });

  it('get returns one value; singletons take no id; unset restores the default', () => {
    const dev = device();
    const id = add(dev, '/ip/firewall/nat', { chain: 'srcnat', action: 'masquerade', comment: 'wan' });
    expect(dev.command('/ip/firewall/nat', 'get', { '.id': id, 'value-name': 'action' }, ctx).ret).toBe('masquerade');
    expect(dev.command('/system/identity', 'get', { 'value-name': 'name' }, ctx).ret).toBe('MikroTik');
    expect(() => dev.command('/ip/firewall/nat', 'get', { '.id': id, 'value-name': 'nope' }, ctx)).toThrow(
      'unknown parameter nope',
    );
    dev.command('/ip/firewall/nat', 'unset', { '.id': id, 'value-name': 'comment' }, ctx);
    expect(dev.table('/ip/firewall/nat').find(id)).not.toHaveProperty('comment');
  });

  it('place-before and move order static rules; dynamic rules stay at the end', () => {
    const dev = device();
    const a = add(dev, '/ip/firewall/nat', { chain: 'srcnat', comment: 'a' });
    dev.table('/ip/firewall/nat').add({ chain: 'dstnat', comment: 'dyn' }, { dynamic: true, trusted: true });
    const b = add(dev, '/ip/firewall/nat', { chain: 'srcnat', comment: 'b' });
    add(dev, '/ip/firewall/nat', { chain: 'srcnat', comment: 'c', 'place-before': a });
    add(dev, '/ip/firewall/filter', { chain: 'input', comment: 'x' });
    add(dev, '/ip/firewall/filter', { chain: 'input', comment: 'first', 'place-before': '0' });
    const comments = (p: string): string[] => dev.print(p, {}, ctx).map((r) => r.comment ?? '');
    expect(comments('/ip/firewall/nat')).toEqual(['c', 'a', 'b', 'dyn']);
    expect(comments('/ip/firewall/filter')).toEqual(['first', 'x']);
    dev.command('/ip/firewall/nat', 'move', { numbers: b, destination: a }, ctx);
    expect(comments('/ip/firewall/nat')).toEqual(['c', 'b', 'a', 'dyn']);
    dev.command('/ip/firewall/nat', 'move', { numbers: comments('/ip/firewall/nat').length ? '*1' : '' }, ctx);
    expect(comments('/ip/firewall/nat')).toEqual(['c', 'b', 'a', 'dyn']);
  });

  it('listen streams full rows on change and .dead on removal', () => {
    const dev = device();
    const seen: Row[] = [];
    const off = dev.listen('/ip/firewall/filter', (row) => seen.push(row));
    const id = add(dev, '/ip/firewall/filter', { chain: 'input', comment: 'x' });
    dev.command('/ip/firewall/filter', 'set', { '.id': id, comment: 'y' }, ctx);
    dev.command('/ip/firewall/filter', 'remove', { '.id': id }, ctx);
    off();
    add(dev, '/ip/firewall/filter', { chain: 'input' });
    expect(seen).toHaveLength(3);
    expect(seen[0]).toMatchObject({ '.id': id, chain: 'input', comment: 'x', disabled: 'false' });
    expect(seen[1]).toMatchObject({ '.id': id, comment: 'y' });
    expect(seen[2]).toEqual({ '.id': id, '.dead': 'true' });
  });

  it('unknown menus and verbs are UnknownCommandError', () => {
    const dev = device();
    expect(() => dev.print('/ip/nonsense', {}, ctx)).toThrow('no such command or directory');
    expect(() => dev.command('/ip/firewall/nat', 'frobnicate', {}, ctx)).toThrow('no such command or directory');
    expect(() => dev.command('/ip/upnp', 'add', {}, ctx)).toThrow('no such command or directory');
  });
});
