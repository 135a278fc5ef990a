import { describe, expect, it } from 'vitest';
import type { ApplyReport } from '../../../../shared/domains/config';
import { outcomeText, scriptFileName } from './plan-words';

const at = new Date(2025, 0, 31, 12);

describe('scriptFileName', () => {
  it('names the change, the router and the day, never ending in "-.rsc"', () => {
    expect(scriptFileName('Set up UPnP (typical home deployment)', 'HomeRouter', at)).toBe(
      'portpilot-set-up-upnp-typical-home-deployment-homerouter-2025-01-31.rsc',
    );
    expect(scriptFileName('setup', 'Büro Router!', at)).toBe('portpilot-setup-buro-router-2025-01-31.rsc');
    expect(scriptFileName('(((', null, at)).toBe('portpilot-change-2025-01-31.rsc');
    for (const name of [scriptFileName('a-', '-', at), scriptFileName('x'.repeat(39) + ' y', 'r', at)])
      expect(name).not.toMatch(/--|-\.rsc$/);
  });
});

describe('outcomeText', () => {
  const report = (r: Partial<ApplyReport>): ApplyReport => ({
    planId: 'p',
    title: 't',
    outcome: 'applied',
    steps: [
      {
        id: 'perm-add-3',
        description: 'Allow UDP 3074 for the Xbox',
        cli: '/ip upnp permissions add …',
        result: 'failed',
      },
      { id: 'upnp-settings', description: 'Turn UPnP on', cli: '/ip upnp set enabled=yes', result: 'rolled-back' },
    ],
    applied: [],
    alreadyDone: [],
    rolledBack: [],
    notRolledBack: [],
    ...r,
  });

  it('names a failed step by what it does, not by its id', () => {
    const text = outcomeText(
      report({
        outcome: 'rolled-back',
        rolledBack: ['upnp-settings'],
        failure: { stepId: 'perm-add-3', message: 'no such item' },
      }),
    );
    expect(text).toBe(
      '“Allow UDP 3074 for the Xbox” failed (no such item). The step already applied was rolled back: the router is as before.',
    );
    expect(text).not.toContain('perm-add-3');
    const incomplete = outcomeText(
      report({
        outcome: 'rollback-incomplete',
        failure: { stepId: 'perm-add-3', message: 'x' },
        notRolledBack: [{ id: 'upnp-settings', error: 'timeout' }],
      }),
    );
    expect(incomplete).toContain('“Turn UPnP on” (timeout)');
    expect(incomplete).not.toMatch(/perm-add-3|upnp-settings/);
  });

  it('counts in words', () => {
    expect(outcomeText(report({ applied: ['a'] }))).toBe('Applied 1 step.');
    expect(outcomeText(report({ applied: ['a', 'b'], alreadyDone: ['c'] }))).toBe('Applied 2 steps; 1 already done.');
  });
});
