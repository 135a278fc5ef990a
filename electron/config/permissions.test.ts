import { describe, expect, it } from 'vitest';
import { applyPlan } from '../plans';
import { permissionSteps } from './plan';
import { makePlan } from './plan';
import {
  highPortsPreset,
  pinPreset,
  ruleFromRow,
  shadowedRules,
  validateRules,
  type PermissionRule,
} from './permissions';
import { protectionRules } from './protection';
import { readSnapshot } from './snapshot';
import { demo } from './test-support';

const r = (
  action: 'allow' | 'deny',
  protocol: PermissionRule['protocol'],
  dstPort: string,
  internalAddress = '',
): PermissionRule => ({
  action,
  interface: 'ether1',
  protocol,
  dstPort,
  internalAddress,
  comment: '',
});

describe('permission rules that can never match', () => {
  it('the nat-type-3 list: the UDP deny first hides the UDP allow after it', () => {
    const rules = [r('deny', 'udp', ''), r('allow', 'tcp', '1024-65535'), r('allow', 'udp', '1024-65535')];
    expect(shadowedRules(rules)).toEqual([
      { index: 2, coveredBy: 0, message: expect.stringMatching(/rule 3 can never match: rule 1/) },
    ]);
  });

  it('a pin deny after the broad allow is dead; before it, it works', () => {
    const pins = pinPreset('ether1', 'tcp', '32400', '192.168.88.10', 'Plex');
    const high = highPortsPreset('ether1');
    // Both pin rules are dead after the broad allow (the pinned allow too, harmlessly).
    expect(shadowedRules([...high, ...pins]).map((s) => s.index)).toEqual([4, 5]);
    expect(shadowedRules([...pins, ...high])).toEqual([]);
  });

  it('narrower address or protocol "both" are taken into account', () => {
    expect(
      shadowedRules([r('allow', 'tcp', '80', '192.168.88.0/24'), r('deny', 'tcp', '80', '192.168.88.10')]).map(
        (s) => s.index,
      ),
    ).toEqual([1]);
    expect(shadowedRules([r('allow', 'tcp', '80', '192.168.88.10'), r('deny', 'tcp', '80')])).toEqual([]);
    expect(shadowedRules([r('deny', 'tcp', '1-100'), r('deny', 'both', '50')])).toEqual([]);
  });

  it('validation names each bad field of each rule', () => {
    expect(() =>
      validateRules(
        [r('allow', 'tcp', '0-1023'), { ...r('deny', 'udp', '70000'), internalAddress: '1.2.3' }],
        ['ether1'],
      ),
    ).toThrow(/permissions\[1\]\.dstPort.*permissions\[1\]\.internalAddress/);
  });
});

describe('permission list edits (seed): add, remove, reorder as the fewest steps', () => {
  it('reordering home’s list moves rows; applying gives exactly the target order', async () => {
    const { router } = demo('seed', 'home');
    const s = await readSnapshot(router);
    const current = (s.permissions ?? []).map(ruleFromRow);
    const target = [current[2], current[0], current[3], current[1]] as PermissionRule[];
    const steps = permissionSteps(s, target, 'ether1');
    expect(steps.every((x) => x.op.verb === 'move')).toBe(true);
    expect((await applyPlan(router, makePlan('reorder', steps, s))).outcome).toBe('applied');
    const after = (await readSnapshot(router)).permissions?.map(ruleFromRow);
    expect(after).toEqual(target);
  });

  it('insert a pin in front, remove one rule: add before the first kept rule, one remove', async () => {
    const { router } = demo('seed', 'home');
    const s = await readSnapshot(router);
    const current = (s.permissions ?? []).map(ruleFromRow);
    const target = [...pinPreset('ether1', 'tcp', '32400', '192.168.88.10', 'Plex'), ...current.slice(0, 3)];
    const steps = permissionSteps(s, target, 'ether1');
    expect(steps.map((x) => x.op.verb)).toEqual(['remove', 'add', 'add']);
    await applyPlan(router, makePlan('edit', steps, s));
    expect((await readSnapshot(router)).permissions?.map(ruleFromRow)).toEqual(target);
  });
});

describe('RouterOS 7 protection rules', () => {
  it('deny → drop per protocol; allow for one host → accept only when a later deny covers it', () => {
    const rules = [
      ...pinPreset('ether1', 'tcp', '32400', '192.168.88.10', 'Plex'),
      r('allow', 'udp', '88', '192.168.88.21'),
      r('deny', 'both', '5000'),
      ...highPortsPreset('ether1'),
    ];
    const out = protectionRules(rules, 'ether1');
    expect(out.map((x) => [x['action'], x['protocol'], x['dst-port'], x['dst-address'] ?? ''])).toEqual([
      ['accept', 'tcp', '32400', '192.168.88.10'],
      ['drop', 'tcp', '32400', ''],
      ['accept', 'udp', '88', '192.168.88.21'],
      ['drop', 'tcp', '5000', ''],
      ['drop', 'udp', '5000', ''],
      ['drop', 'tcp', '0-1023', ''],
      ['drop', 'udp', '0-1023', ''],
    ]);
    expect(
      out.every(
        (x) =>
          x['chain'] === 'forward' && x['connection-nat-state'] === 'dstnat' && x['comment']?.startsWith('portpilot: '),
      ),
    ).toBe(true);
  });

  it('removing the protection removes only PortPilot’s rules', async () => {
    const { router } = demo('routeros7', 'home');
    let s = await readSnapshot(router);
    await applyPlan(router, makePlan('protect', permissionSteps(s, highPortsPreset('ether1'), 'ether1'), s));
    s = await readSnapshot(router);
    const others = s.filter.filter((x) => !(x['comment'] ?? '').startsWith('portpilot:')).length;
    const steps = permissionSteps(s, [], 'ether1');
    expect(steps.map((x) => x.op.verb)).toEqual(['remove', 'remove']);
    await applyPlan(router, makePlan('unprotect', steps, s));
    expect((await readSnapshot(router)).filter).toHaveLength(others);
  });
});
