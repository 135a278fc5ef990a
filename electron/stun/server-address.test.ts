import { describe, expect, it } from 'vitest';
import { StunError } from './errors';
import { parseStunServer } from './server-address';

describe('parseStunServer', () => {
  it.each([
    ['stunserver.stunprotocol.org', { host: 'stunserver.stunprotocol.org', port: 3478 }],
    ['stun.example.net:3479', { host: 'stun.example.net', port: 3479 }],
    [' 198.51.100.1:5000 ', { host: '198.51.100.1', port: 5000 }],
  ])('%s', (value, expected) => {
    expect(parseStunServer(value)).toEqual(expected);
  });

  it.each(['', 'host:', 'host:0', 'host:70000', 'a b', '999.1.1.1', '[2001:db8::1]:3478', 'http://x', '-bad.example'])(
    'refuses %j with a typed error that says what to give',
    (value) => {
      expect(() => parseStunServer(value)).toThrow(StunError);
      expect(() => parseStunServer(value)).toThrow(/give HOST or HOST:PORT/);
    },
  );
});
