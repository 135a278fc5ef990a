import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  addressInSpec,
  classifyIPv4,
  intToIPv4,
  ipv4ToInt,
  isIPv4,
  parseAddressSpec,
  parseCidr,
  inRange,
} from './ipv4';

describe('ipv4ToInt (strict dotted quad)', () => {
  it('parses four decimal octets', () => {
    expect(ipv4ToInt('192.168.88.10')).toBe(0xc0a8580a);
    expect(ipv4ToInt('0.0.0.0')).toBe(0);
    expect(ipv4ToInt('255.255.255.255')).toBe(0xffffffff);
  });
  it.each([
    ['192.168.1.010', 'leading zero (octal to inet_aton, decimal to others)'],
    ['1.2.3', 'three parts'],
    ['1.2.3.4.5', 'five parts'],
    ['256.1.1.1', 'octet over 255'],
    [' 1.2.3.4', 'leading space'],
    ['1.2.3.4 ', 'trailing space'],
    ['0x1.2.3.4', 'hex'],
    ['1.2.3.-4', 'sign'],
    ['1..3.4', 'empty octet'],
    ['', 'empty'],
    ['3232235530', 'one 32-bit number'],
  ])('rejects %j (%s)', (text) => {
    expect(ipv4ToInt(text)).toBeNull();
    expect(isIPv4(text)).toBe(false);
  });
  it('round-trips with intToIPv4, and answers the same from its cache', () => {
    fc.assert(
      fc.property(fc.ipV4(), (address) => {
        const n = ipv4ToInt(address);
        expect(n).not.toBeNull();
        expect(intToIPv4(n ?? -1)).toBe(address);
        expect(ipv4ToInt(address)).toBe(n);
      }),
    );
  });
  it('stays correct past the cache bound', () => {
    for (let i = 0; i < 5000; i++) ipv4ToInt(`10.0.${i >> 8}.${i & 255}`);
    expect(ipv4ToInt('10.0.0.1')).toBe(0x0a000001);
    expect(ipv4ToInt('10.0.0.256')).toBeNull();
  });
});

describe('CIDR and RouterOS address specs', () => {
  it('parses a CIDR to its network; a bare address is a /32', () => {
    expect(parseCidr('192.168.88.1/24')).toEqual({ network: 0xc0a85800, prefix: 24 });
    expect(parseCidr('10.1.2.3')).toEqual({ network: 0x0a010203, prefix: 32 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ network: 0, prefix: 0 });
  });
  it.each(['192.168.88.1/33', '192.168.88.1/', '192.168.88.1/024', '192.168.88.1/2/4', '192.168.088.1/24', 'x/24'])(
    'rejects the CIDR %j',
    (text) => expect(parseCidr(text)).toBeNull(),
  );
  it('matches a, a/n and a-b specs; garbage matches nothing', () => {
    expect(addressInSpec('192.168.88.10', '192.168.88.10')).toBe(true);
    expect(addressInSpec('192.168.88.11', '192.168.88.10')).toBe(false);
    expect(addressInSpec('192.168.88.200', '192.168.88.0/24')).toBe(true);
    expect(addressInSpec('192.168.89.1', '192.168.88.0/24')).toBe(false);
    expect(addressInSpec('10.0.0.5', '10.0.0.1-10.0.0.9')).toBe(true);
    expect(addressInSpec('10.0.0.10', '10.0.0.1-10.0.0.9')).toBe(false);
    expect(parseAddressSpec('10.0.0.1-10.0.0')).toBeNull();
    expect(parseAddressSpec('10.0.0.1-10.0.0.2-10.0.0.3')).toBeNull();
    expect(inRange('garbage', [0, 0xffffffff])).toBe(false);
    expect(addressInSpec('10.0.0.1', 'garbage')).toBe(false);
  });
});

describe('classifyIPv4 (RFC 6890 registry, through ipaddr.js)', () => {
  it.each([
    ['', 'empty'],
    ['0.0.0.0', 'empty'],
    ['10.1.2.3', 'private'],
    ['172.31.255.255', 'private'],
    ['172.32.0.1', 'public'],
    ['192.168.88.1', 'private'],
    ['100.64.0.1', 'cgnat'],
    ['100.127.255.255', 'cgnat'],
    ['100.128.0.1', 'public'],
    ['127.0.0.1', 'loopback'],
    ['169.254.1.1', 'link-local'],
    ['192.0.2.1', 'reserved'],
    ['198.51.100.7', 'reserved'],
    ['203.0.113.4', 'reserved'],
    ['198.19.0.1', 'reserved'],
    ['0.1.2.3', 'reserved'],
    ['224.0.0.1', 'reserved'],
    ['255.255.255.255', 'reserved'],
    ['8.8.8.8', 'public'],
    ['1.2.3', 'invalid'],
    ['01.2.3.4', 'invalid'],
  ])('%j is %s', (address, kind) => expect(classifyIPv4(address)).toBe(kind));
});
