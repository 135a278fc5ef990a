import { describe, expect, it } from 'vitest';
import type { SetupChoicesInput } from '../../../shared/domains/config';
import { ContractError } from '../../../shared/contract/result';
import { demo, exportConfig } from '../../config/test-support';
import { WizardChoicesFile } from '../../config/wizard/memory';
import { memoryFileStore } from '../../mappings/file-store';
import { memoryJournalStore } from '../../plans';
import { testLink } from '../../../tests/support/test-link';
import { ChangeApplier } from '../change-applier';
import { createConfigService } from './config-service';

const ctx = { transport: 'websocket' as const };

/** The config service on a demo router, with the wizard's memory in a file store the test can share. */
function setup(profile: 'seed' | 'routeros7', scenario: 'fresh' | 'home', files = memoryFileStore()) {
  const { router } = demo(profile, scenario);
  const link = testLink(router);
  const changes = new ChangeApplier({ router: () => link, journal: memoryJournalStore() });
  const svc = createConfigService({
    router: () => link,
    changes,
    emit: () => {},
    wizardMemory: new WizardChoicesFile(files),
  });
  return { svc, router, files };
}

/** What the wizard screen does with its defaults: preview, then apply. */
async function runWizard(svc: ReturnType<typeof setup>['svc'], edit: (d: SetupChoicesInput) => SetupChoicesInput) {
  const start = await svc.wizardStart(undefined, ctx);
  const plan = await svc.wizardPlan(edit(start.defaults), ctx);
  const report = await svc.apply({ planId: plan.id }, ctx);
  return { start, plan, report };
}

describe('setup wizard: a re-run with its defaults plans nothing (issue 13)', () => {
  for (const profile of ['seed', 'routeros7'] as const) {
    for (const scenario of ['fresh', 'home'] as const) {
      it(`${profile}/${scenario}: a preset on every device, then the defaults again → an empty plan`, async () => {
        const { svc } = setup(profile, scenario);
        // Every preset at least once, on devices whose name suggests none of them (the laptop) too.
        const presets = ['xbox', 'playstation', 'switch', 'steam', 'plex'];
        const first = await runWizard(svc, (d) => ({
          ...d,
          devices: (d.devices.length ? d.devices : []).concat({
            address: '192.168.88.30',
            preset: presets[scenario === 'fresh' ? 0 : 3]!,
            name: 'alex-laptop',
          }),
        }));
        expect(['applied', 'nothing-to-do']).toContain(first.report.outcome);
        const again = await svc.wizardStart(undefined, ctx);
        expect(again.defaults.devices).toContainEqual(
          expect.objectContaining({ address: '192.168.88.30', preset: scenario === 'fresh' ? 'xbox' : 'steam' }),
        );
        const plan = await svc.wizardPlan(again.defaults, ctx);
        expect(plan.steps.map((s) => s.description)).toEqual([]);
      });
    }
  }

  it('routeros7: an Xbox chosen by hand is read back from its two firewall rules even without the memory', async () => {
    const a = setup('routeros7', 'fresh');
    await runWizard(a.svc, (d) => ({
      ...d,
      devices: [{ address: '192.168.88.30', preset: 'xbox', name: 'alex-laptop' }],
    }));
    // A new PortPilot (another computer): no memory, only the router.
    const { router } = a;
    const link = testLink(router);
    const fresh = createConfigService({
      router: () => link,
      changes: new ChangeApplier({ router: () => link, journal: memoryJournalStore() }),
      emit: () => {},
    });
    const start = await fresh.wizardStart(undefined, ctx);
    expect(start.devices.find((d) => d.address === '192.168.88.30')?.suggested).toBe('xbox');
    expect((await fresh.wizardPlan(start.defaults, ctx)).steps).toEqual([]);
  });

  it('a device the user set to "none" stays none, though its name suggests a preset', async () => {
    const { svc } = setup('seed', 'home');
    await runWizard(svc, (d) => ({ ...d, devices: d.devices.filter((x) => x.preset !== 'xbox') }));
    const again = await svc.wizardStart(undefined, ctx);
    expect(again.defaults.devices.some((x) => x.preset === 'xbox')).toBe(false);
    expect((await svc.wizardPlan(again.defaults, ctx)).steps).toEqual([]);
  });

  it('remembers the restrictions choice ("keep") and NAT-PMP off', async () => {
    const { svc } = setup('routeros7', 'home');
    await runWizard(svc, (d) => ({ ...d, security: 'keep', natPmp: false }));
    const again = await svc.wizardStart(undefined, ctx);
    expect(again.defaults).toMatchObject({ security: 'keep', natPmp: false });
    expect((await svc.wizardPlan(again.defaults, ctx)).steps).toEqual([]);
  });

  it('the memory survives a restart (the file), and only a plan that was applied is remembered', async () => {
    const files = memoryFileStore();
    const a = setup('routeros7', 'fresh', files);
    const start = await a.svc.wizardStart(undefined, ctx);
    await a.svc.wizardPlan({ ...start.defaults, security: 'keep' }, ctx); // previewed, never applied
    expect(files.files.size).toBe(0);
    await runWizard(a.svc, (d) => ({ ...d, devices: [{ address: '192.168.88.30', preset: 'steam' }] }));
    const memory = new WizardChoicesFile(files);
    expect(await memory.get('test')).toBeNull(); // another router key
    const keys = JSON.parse(files.files.values().next().value!).routers.map((r: { key: string }) => r.key);
    expect(await memory.get(keys[0])).toMatchObject({ security: 'high-ports', devices: { '192.168.88.30': 'steam' } });
  });

  it('an unreadable memory file is forgotten, not trusted', async () => {
    const files = memoryFileStore();
    files.files.set('wizard-choices.json', '{"version":1,"routers":[{"key":"k","choices":{"security":"open"}}]}');
    const lines: string[] = [];
    const memory = new WizardChoicesFile(files, (l) => lines.push(l));
    expect(await memory.get('k')).toBeNull();
    expect(lines.join()).toMatch(/unreadable/);
  });
});

describe('setup wizard: undo and the presets that need no rule', () => {
  it('"Undo this setup" rolls back exactly the wizard’s change; the router is as before', async () => {
    const { svc, router } = setup('routeros7', 'fresh');
    const before = await exportConfig(router);
    const { plan, report } = await runWizard(svc, (d) => d);
    expect(report.outcome).toBe('applied');
    expect(await exportConfig(router)).not.toEqual(before);
    const undone = await svc.rollback({ planId: plan.id }, ctx);
    expect(undone.outcome).toBe('rolled-back');
    expect(await exportConfig(router)).toEqual(before);
  });

  it('undo refuses when another change came after the wizard’s', async () => {
    const { svc } = setup('routeros7', 'fresh');
    const { plan } = await runWizard(svc, (d) => d);
    const eim = await svc.planEim({ enabled: true }, ctx);
    await svc.apply({ planId: eim.id }, ctx);
    const err = await svc.rollback({ planId: plan.id }, ctx).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect((err as ContractError).code).toBe('busy');
    expect((err as ContractError).message).toMatch(/Endpoint-independent NAT.*undo that first/);
  });

  it('RouterOS 7: Steam needs no rule under the recommended restrictions, and the plan says why', async () => {
    const { svc } = setup('routeros7', 'fresh');
    const start = await svc.wizardStart(undefined, ctx);
    const without = await svc.wizardPlan(start.defaults, ctx);
    const plan = await svc.wizardPlan(
      { ...start.defaults, devices: [{ address: '192.168.88.30', preset: 'steam', name: 'alex-laptop' }] },
      ctx,
    );
    expect(plan.steps.length).toBe(without.steps.length);
    expect(plan.notes).toEqual([
      'alex-laptop (Steam): nothing to add. Its ports (UDP 27000-27100, TCP 27015-27030, UDP 27031-27036, TCP 27036) are not blocked by the restrictions, so it can already open them.',
    ]);
    const xbox = await svc.wizardPlan(
      { ...start.defaults, devices: [{ address: '192.168.88.30', preset: 'xbox' }] },
      ctx,
    );
    expect(xbox.notes).toEqual([]);
  });
});
