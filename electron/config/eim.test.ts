import { describe, expect, it } from 'vitest';
import { applyPlan } from '../plans';
import {
  eimEnabled,
  eimRemoveSteps,
  eimState,
  eimSteps,
  eimSupport,
  natRuleInWords,
  parseRouterOsVersion,
} from './eim';
import { removeRuleStep } from './forwards';
import { makePlan } from './plan';
import { readSnapshot } from './snapshot';
import { demo } from './test-support';

const V = '7.19.2 (stable)';

describe('RouterOS version gate for action=endpoint-independent-nat (7.10+)', () => {
  it.each([
    ['7.19.2 (stable)', true],
    ['7.10', true],
    ['7.10.2', true],
    ['8.0', true],
    ['7.9.2', false],
    ['6.49.10 (long-term)', false],
    ['7.x', 'unknown'],
    ['', 'unknown'],
  ] as const)('%j → %s', (version, supported) => {
    expect(eimSupport(version).supported).toBe(supported);
  });

  it('parses major, minor and patch', () => {
    expect(parseRouterOsVersion('7.19.2 (stable)')).toEqual([7, 19, 2]);
    expect(parseRouterOsVersion('7.x')).toBeNull();
  });

  it('says what to do on an older router', () => {
    const s = eimSupport('7.9.2');
    expect(s.supported === false && s.why).toMatch(/arrived in RouterOS 7\.10\. Upgrade RouterOS/);
  });
});

describe('eimSteps on the demo router (home: defconf masquerade out of ether1)', () => {
  it('adds the srcnat rule before the masquerade and the dstnat rule; applied, the state is complete', async () => {
    const { router } = demo('routeros7', 'home');
    const s = await readSnapshot(router);
    const masq = s.nat.find((r) => r['chain'] === 'srcnat' && r['action'] === 'masquerade');
    const steps = eimSteps(s, 'ether1', V);
    expect(steps.map((x) => x.cli)).toEqual([
      `/ip firewall nat add chain=srcnat action=endpoint-independent-nat out-interface=ether1 protocol=udp comment="endpoint-independent NAT for UDP" place-before=${masq?.['.id']}`,
      '/ip firewall nat add chain=dstnat action=endpoint-independent-nat in-interface=ether1 protocol=udp comment="endpoint-independent NAT for UDP"',
    ]);
    expect((await applyPlan(router, makePlan('EIM', steps, s))).outcome).toBe('applied');
    const after = await readSnapshot(router);
    const st = eimState(after, 'ether1');
    expect(st.mapping?.['action']).toBe('endpoint-independent-nat');
    expect(st.filtering?.['chain']).toBe('dstnat');
    expect(eimSteps(after, 'ether1', V)).toEqual([]);
    expect([eimEnabled(s, 'ether1'), eimEnabled(after, 'ether1')]).toEqual([false, true]);
    // Removing brings back the masquerade as the first srcnat rule.
    await applyPlan(router, makePlan('no EIM', eimRemoveSteps(after), after));
    expect(eimState(await readSnapshot(router), 'ether1').first?.['action']).toBe('masquerade');
  });

  it('the old fix (a UDP masquerade after the masquerade) does not count, and the real rule goes before both', async () => {
    const { router } = demo('routeros7', 'home');
    await router.add('/ip/firewall/nat', {
      chain: 'srcnat',
      action: 'masquerade',
      'out-interface': 'ether1',
      protocol: 'udp',
      comment: 'endpoint-independent NAT for UDP',
    });
    const s = await readSnapshot(router);
    expect(eimState(s, 'ether1')).toMatchObject({ mapping: null, first: { comment: 'defconf: masquerade' } });
    expect(eimSteps(s, 'ether1', V)[0]?.op).toMatchObject({
      verb: 'add',
      attrs: { action: 'endpoint-independent-nat' },
    });
  });

  it('an endpoint-independent-nat rule behind the masquerade is moved in front of it, not added twice', async () => {
    const { router } = demo('routeros7', 'home');
    const id = await router.add('/ip/firewall/nat', {
      chain: 'srcnat',
      action: 'endpoint-independent-nat',
      'out-interface': 'ether1',
      protocol: 'udp',
    });
    const s = await readSnapshot(router);
    expect(eimState(s, 'ether1').shadowed?.['.id']).toBe(id);
    const steps = eimSteps(s, 'ether1', V);
    expect(steps[0]?.op).toMatchObject({ verb: 'move', find: { id } });
    await applyPlan(router, makePlan('EIM', steps, s));
    expect(eimState(await readSnapshot(router), 'ether1').mapping?.['.id']).toBe(id);
  });

  it('no steps on a router older than 7.10; a rule on another interface or a disabled one does not count', async () => {
    const { router } = demo('routeros7', 'home');
    expect(eimSteps(await readSnapshot(router), 'ether1', '7.9.2')).toEqual([]);
    await router.add('/ip/firewall/nat', {
      chain: 'srcnat',
      action: 'endpoint-independent-nat',
      'out-interface': 'ether2',
      protocol: 'udp',
      'place-before': '0',
    });
    await router.add('/ip/firewall/nat', {
      chain: 'srcnat',
      action: 'endpoint-independent-nat',
      protocol: 'udp',
      disabled: 'yes',
      'place-before': '0',
    });
    expect(eimState(await readSnapshot(router), 'ether1').mapping).toBeNull();
  });
});

describe('NAT rules named in plain words in plan steps (issue 13: no "*3 chain=srcnat …")', () => {
  it('masquerade, a forward, the EIM rules, anything else', () => {
    expect(
      natRuleInWords({
        '.id': '*3',
        chain: 'srcnat',
        action: 'masquerade',
        'out-interface': 'ether1',
        comment: 'defconf: masquerade',
      }),
    ).toBe('the masquerade rule out of ether1 (“defconf: masquerade”)');
    expect(
      natRuleInWords({
        '.id': '*9',
        chain: 'dstnat',
        action: 'dst-nat',
        protocol: 'tcp',
        'dst-port': '443',
        'to-addresses': '192.168.88.10',
        'to-ports': '443',
      }),
    ).toBe('the forward of TCP 443 to 192.168.88.10:443');
    expect(natRuleInWords({ chain: 'srcnat', action: 'endpoint-independent-nat', protocol: 'udp' })).toBe(
      'the endpoint-independent NAT rule for UDP traffic (outgoing)',
    );
    for (const r of [{ '.id': '*12', chain: 'dstnat', action: 'netmap' }, { '.id': '*1' }] as Array<
      Record<string, string>
    >)
      expect(natRuleInWords(r)).not.toMatch(/\*\d/);
  });

  it('removing a forward names it, never by its id', () => {
    const step = removeRuleStep({
      '.id': '*1A',
      chain: 'dstnat',
      action: 'dst-nat',
      protocol: 'udp',
      'dst-port': '3074',
      'to-addresses': '192.168.88.21',
    });
    expect(step.description).toBe('Remove the forward of UDP 3074 to 192.168.88.21');
  });
});
