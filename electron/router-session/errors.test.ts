import { describe, expect, it } from 'vitest';
import { RouterConnectionError, type ConnectionErrorKind } from './errors';
import { toConnectionError } from './session-util';

const KINDS: ConnectionErrorKind[] = [
  'refused',
  'timeout',
  'dns',
  'unreachable',
  'login',
  'tls-untrusted',
  'tls-fingerprint-changed',
  'tls-handshake',
  'closed',
  'down',
  'protocol',
];

describe('RouterConnectionError messages', () => {
  it.each(KINDS)('%s never says "the router at the router", with or without a host', (kind) => {
    for (const detail of [{}, { host: '192.168.88.1', port: 8728 }]) {
      const message = new RouterConnectionError(kind, detail).message;
      expect(message).not.toMatch(/router at the router/i);
      expect(message).not.toContain('\n');
    }
  });

  it('a failed probe names the router it came from', () => {
    const err = toConnectionError(new Error('/system/resource: version: required'), { host: '10.0.0.1', port: 8728 });
    expect(err.message).toMatch(/^The router at 10\.0\.0\.1:8728 sent something that is not a RouterOS API reply/);
  });

  it('a wire-limit violation leads with what the router sent, then what to do', () => {
    const err = new RouterConnectionError('protocol', {
      host: '192.168.88.1',
      port: 8728,
      cause: '192.168.88.1 sent a 520 MiB word (the limit is 8 MiB): not a RouterOS reply',
    });
    expect(err.message).toBe(
      '192.168.88.1 sent a 520 MiB word (the limit is 8 MiB): not a RouterOS reply. PortPilot closed the ' +
        "connection to protect itself. Check that 192.168.88.1:8728 is the router's API port (8728, or 8729 " +
        'for API-SSL) and not another service.',
    );
  });

  it('a command deadline says which command got no reply', () => {
    const err = new RouterConnectionError('timeout', {
      host: '192.168.88.1',
      port: 8728,
      cause: 'no complete reply to /ip/firewall/nat/print within 60 s',
    });
    expect(err.message).toMatch(/^192\.168\.88\.1:8728 did not answer in time \(no complete reply to \/ip\/firewall/);
  });
});
