import { describe, expect, it } from 'vitest';
import { requiredPolicies } from '../api/commands';
import { DemoDevice } from './device';
import { buildScenario } from './scenarios/index';
import { grantedPolicies } from '../../routeros/policy';
import { DEFAULT_GROUPS, READ_USER } from './users';

describe('accounts', () => {
  it('reads a policy list: granted items only, negated ones are not', () => {
    expect([...grantedPolicies('read,!write, api,,!policy')]).toEqual(['read', 'api']);
    const read = DEFAULT_GROUPS.find((g) => g.name === 'read')?.policy ?? '';
    expect(grantedPolicies(read).has('write')).toBe(false);
    expect(grantedPolicies(read).has('api')).toBe(true);
  });

  it('admin is full, the scenario user reads only; a disabled user has no policy and cannot log in', () => {
    const dev = new DemoDevice({ password: 'pw' });
    buildScenario(dev, 'home');
    expect(dev.permits('admin', 'write')).toBe(true);
    expect(dev.permits(READ_USER, 'read')).toBe(true);
    expect(dev.permits(READ_USER, 'write')).toBe(false);
    expect(dev.login(READ_USER, 'pw')).toBe(true);
    dev.command('/user', 'disable', { numbers: READ_USER }, { user: 'admin', remoteAddress: '127.0.0.1' });
    expect(dev.login(READ_USER, 'pw')).toBe(false);
    expect(dev.permits(READ_USER, 'read')).toBe(false);
    expect(dev.permits('nobody', 'read')).toBe(false);
  });

  it('what each command needs: read to look, reboot to reboot, policy for users, write for changes', () => {
    expect(requiredPolicies('/ip/firewall/nat', 'print')).toEqual(['read']);
    expect(requiredPolicies('/ip/firewall/nat', 'listen')).toEqual(['read']);
    expect(requiredPolicies('/system/identity', 'get')).toEqual(['read']);
    expect(requiredPolicies('/system', 'reboot')).toEqual(['reboot']);
    expect(requiredPolicies('/ip/upnp', 'set')).toEqual(['write']);
    expect(requiredPolicies('/ip/firewall/nat', 'remove')).toEqual(['write']);
    expect(requiredPolicies('/user/group', 'add')).toEqual(['write', 'policy']);
    expect(requiredPolicies('/user', 'print')).toEqual(['read']);
  });
});
