import { describe, expect, it } from 'vitest';
import { UsageError } from './command';
import { parseRouterArgs, parseTimeout } from './router-args';

describe('--timeout', () => {
  it('is seconds for the connect and each command', () => {
    const parsed = parseRouterArgs(['--router', '192.168.88.1', '--user', 'admin', '--timeout', '2.5'], {});
    expect(parsed.base.timeoutSeconds).toBe(2.5);
  });

  it('is optional', () => {
    const parsed = parseRouterArgs(['--router', '192.168.88.1', '--user', 'admin'], {});
    expect(parsed.base.timeoutSeconds).toBeUndefined();
  });

  it.each(['0', '-1', 'soon', '3601'])('refuses %j with a usage error', (value) => {
    expect(() => parseTimeout(value)).toThrow(UsageError);
    expect(() => parseTimeout(value)).toThrow(/--timeout must be a number of seconds/);
  });
});
