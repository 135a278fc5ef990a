import { describe, expect, it } from 'vitest';
import { ValidationError, parseIPv4, parseIPv4Cidr } from './validate';

const message = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    if (e instanceof ValidationError) return e.fields.map((f) => `${f.field}: ${f.message}`).join('; ');
    throw e;
  }
  return 'accepted';
};

describe('parseIPv4', () => {
  it('accepts a dotted quad and trims what a form adds around it', () => {
    expect(parseIPv4('a', '192.168.88.10')).toBe('192.168.88.10');
    expect(parseIPv4('a', ' 1.2.3.4 ')).toBe('1.2.3.4');
  });
  it.each(['192.168.1.010', '1.2.3', '256.1.1.1', '1.2.3.4.5', '1. 2.3.4', '0x1.2.3.4', ''])(
    'rejects %j, naming the field',
    (text) => expect(message(() => parseIPv4('toAddress', text))).toMatch(/^toAddress: .* is not an IPv4 address/),
  );
});

describe('parseIPv4Cidr', () => {
  it('accepts an address with or without a prefix 0–32', () => {
    expect(parseIPv4Cidr('s', '192.168.88.0/24')).toBe('192.168.88.0/24');
    expect(parseIPv4Cidr('s', '10.0.0.1')).toBe('10.0.0.1');
    expect(parseIPv4Cidr('s', '0.0.0.0/0')).toBe('0.0.0.0/0');
  });
  it('rejects a bad address or prefix with the matching message', () => {
    expect(message(() => parseIPv4Cidr('s', '192.168.088.0/24'))).toMatch(/is not an IPv4 address/);
    expect(message(() => parseIPv4Cidr('s', '1.2.3/24'))).toMatch(/is not an IPv4 address/);
    expect(message(() => parseIPv4Cidr('s', '192.168.88.0/33'))).toMatch(/bad prefix length/);
    expect(message(() => parseIPv4Cidr('s', '192.168.88.0/'))).toMatch(/bad prefix length/);
    expect(message(() => parseIPv4Cidr('s', '192.168.88.0/24/8'))).toMatch(/bad prefix length/);
  });
});
