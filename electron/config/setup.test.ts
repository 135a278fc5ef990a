import { describe, expect, it } from 'vitest';
import { applyPlan, renderScript } from '../plans';
import { readSnapshot } from './snapshot';
import { demo, exportConfig } from './test-support';
import { buildSetupPlan, recommendedChoices } from './wizard/setup';
import { detectRoles } from './wizard/detect';
import { devicesFromLeases, loadVendorLookup } from './wizard/devices';
import { currentPolicy } from './protection';
import { RECOMMENDED, settingsSteps } from './roles';

/**
 * The guide's "typical home deployment" as script lines (seed profile). Its `/ip upnp set enabled=yes
 * allow-disable-external-interface=no show-dummy-rule=yes` sets only what differs: a fresh router already
 * has the other two (RouterOS defaults), so the step sets and says only `enabled` (issue 13).
 */
const GUIDE = [
  '/ip upnp set enabled=yes',
  '/ip upnp interfaces add interface=bridge-lan type=internal',
  '/ip upnp interfaces add interface=ether1 type=external',
  '/ip upnp permissions add action=allow interface=ether1 protocol=tcp dst-port=1024-65535 comment="allow high TCP"',
  '/ip upnp permissions add action=allow interface=ether1 protocol=udp dst-port=1024-65535 comment="allow high UDP"',
  '/ip upnp permissions add action=deny interface=ether1 protocol=tcp dst-port=0-1023 comment="block privileged TCP"',
  '/ip upnp permissions add action=deny interface=ether1 protocol=udp dst-port=0-1023 comment="block privileged UDP"',
];

async function recommendedPlan(profile: 'seed' | 'routeros7', scenario: 'fresh' | 'home' | 'nat-type-3') {
  const { router, device } = demo(profile, scenario);
  const s = await readSnapshot(router);
  return { router, device, plan: buildSetupPlan(s, recommendedChoices(s)) };
}

describe('setup plan per demo scenario', () => {
  it('fresh (seed): the full guide deployment, restrictions before UPnP is switched on', async () => {
    const { plan } = await recommendedPlan('seed', 'fresh');
    const lines = renderScript(plan)
      .split('\n')
      .filter((l) => l.startsWith('/'));
    for (const line of GUIDE) expect(lines).toContain(line);
    expect(lines.findIndex((l) => l.includes('permissions add'))).toBeLessThan(
      lines.findIndex((l) => l.startsWith('/ip upnp set')),
    );
    expect(lines).toContain('/ip nat-pmp set enabled=yes');
    expect(plan.flush).toEqual({ upnp: 0, natPmp: 0 });
  });

  it('home (seed): nothing to do', async () => {
    const { plan } = await recommendedPlan('seed', 'home');
    expect(plan.steps).toEqual([]);
  });

  it('home (routeros7): only the firewall protection rules, which the router lacks', async () => {
    const { plan } = await recommendedPlan('routeros7', 'home');
    expect(plan.steps.map((s) => s.op.menu)).toEqual(['/ip/firewall/filter', '/ip/firewall/filter']);
    expect(
      plan.steps.every((s) => s.cli.includes('connection-nat-state=dstnat') && s.cli.includes('comment="portpilot:')),
    ).toBe(true);
    expect(plan.flush).toEqual({ upnp: 0, natPmp: 0 });
  });

  it('a partial configuration (nat-type-3, seed): only the difference, with the live-mapping flush count', async () => {
    const { plan } = await recommendedPlan('seed', 'nat-type-3');
    const cli = plan.steps.map((s) => s.cli);
    expect(cli.some((l) => l.startsWith('/ip upnp interfaces'))).toBe(false);
    expect(cli.some((l) => l.startsWith('/ip upnp set'))).toBe(false);
    expect(cli).toContain('/ip upnp permissions remove *1');
    expect(cli.filter((l) => l.includes('permissions add'))).toHaveLength(2);
  });

  it('a changed role drops the live mappings: the plan says how many', async () => {
    const { router } = demo('seed', 'home');
    const s = await readSnapshot(router);
    const plan = buildSetupPlan(s, { ...recommendedChoices(s), internal: ['ether2'] });
    expect(s.liveMappings.upnp).toBeGreaterThan(0);
    expect(plan.flush.upnp).toBe(s.liveMappings.upnp);
    expect(renderScript(plan)).toContain(`drops ${s.liveMappings.upnp} live UPnP mappings`);
    // The warning is true: after applying, the restart has dropped them.
    await applyPlan(router, plan);
    expect((await readSnapshot(router)).liveMappings.upnp).toBe(0);
  });

  for (const profile of ['seed', 'routeros7'] as const) {
    for (const scenario of ['fresh', 'home', 'nat-type-3'] as const) {
      it(`${profile}/${scenario}: apply, then a second apply and a new plan change nothing`, async () => {
        const { router, plan } = await recommendedPlan(profile, scenario);
        const first = await applyPlan(router, plan);
        expect(first.outcome).toBe(plan.steps.length ? 'applied' : 'nothing-to-do');
        const after = await exportConfig(router);
        expect((await applyPlan(router, plan)).outcome).toBe('nothing-to-do');
        const s = await readSnapshot(router);
        expect(buildSetupPlan(s, recommendedChoices(s)).steps).toEqual([]);
        expect(await exportConfig(router)).toEqual(after);
      });
    }
  }
});

describe('keep the current restrictions', () => {
  for (const profile of ['seed', 'routeros7'] as const) {
    it(`${profile}: a configured router with security “keep” and no devices has nothing to do`, async () => {
      const { router, plan } = await recommendedPlan(profile, 'home');
      await applyPlan(router, plan);
      const s = await readSnapshot(router);
      expect(buildSetupPlan(s, { ...recommendedChoices(s), security: 'keep' }).steps).toEqual([]);
      // A console preset on top of what is kept: only its rules are added.
      const withXbox = buildSetupPlan(s, {
        ...recommendedChoices(s),
        security: 'keep',
        devices: [{ address: '192.168.88.21', preset: 'xbox' }],
      });
      expect(withXbox.steps.every((x) => x.op.verb === 'add')).toBe(true);
      expect(withXbox.steps.length).toBe(profile === 'seed' ? 6 : 2);
    });
  }
});

describe('wizard detection and devices', () => {
  it('finds bridge-lan (DHCP server) as internal and ether1 (default route, DHCP client, public address) as external', async () => {
    const { router } = demo('routeros7', 'fresh');
    const d = detectRoles(await readSnapshot(router));
    expect(d.internal.map((c) => [c.interface, c.recommended])).toEqual([['bridge-lan', true]]);
    expect(d.external[0]?.interface).toBe('ether1');
    expect(d.external[0]?.evidence.join(' ')).toMatch(/default route.*DHCP client.*public address 81\.2\.69\.142/);
  });

  it('a guest VLAN with its own DHCP server is offered but not pre-selected', async () => {
    const { router } = demo('seed', 'nat-type-3');
    const d = detectRoles(await readSnapshot(router));
    const guest = d.internal.find((c) => c.interface === 'vlan20-guest');
    expect(guest?.recommended).toBe(false);
    expect(guest?.warning).toMatch(/guest/);
  });

  it('names device vendors from the MAC (IEEE OUI) and suggests presets', async () => {
    const { router } = demo('seed', 'home');
    const devices = devicesFromLeases((await readSnapshot(router)).leases, await loadVendorLookup());
    const xbox = devices.find((d) => d.hostName === 'Xbox-Series-X');
    expect(xbox?.vendor).toMatch(/Microsoft/i);
    expect(xbox?.suggested).toBe('xbox');
    expect(devices.find((d) => d.hostName === 'PS5-Living-Room')?.suggested).toBe('playstation');
    expect(devices.find((d) => d.hostName === 'plex-server')?.suggested).toBe('plex');
    expect(devices[0]?.online).toBe(true);
  });

  it('a device whose preset rules are in force is suggested that preset (so a re-run keeps them)', async () => {
    const { router } = demo('seed', 'fresh');
    let s = await readSnapshot(router);
    await applyPlan(
      router,
      buildSetupPlan(s, { ...recommendedChoices(s), devices: [{ address: '192.168.88.30', preset: 'plex' }] }),
    );
    s = await readSnapshot(router);
    const laptop = devicesFromLeases(s.leases, await loadVendorLookup(), currentPolicy(s)).find(
      (d) => d.address === '192.168.88.30',
    );
    expect(laptop?.suggested).toBe('plex');
  });
});

describe('vendorOf (sync)', () => {
  it('answers like the shared loader', async () => {
    const { vendorOf } = await import('./wizard/devices');
    expect(vendorOf('00:50:F2:00:00:01')).toMatch(/Microsoft/i);
  });
});

describe('the UPnP settings step says and sets only what changes', () => {
  it('a fresh router: only “turn UPnP on”, only enabled=yes', async () => {
    const { router } = demo('routeros7', 'fresh');
    const s = await readSnapshot(router);
    const steps = settingsSteps(s, RECOMMENDED);
    expect(steps.map((x) => [x.description, x.op])).toEqual([
      ['Turn UPnP on', { verb: 'set', menu: '/ip/upnp', find: null, attrs: { enabled: 'yes' } }],
    ]);
  });

  it('two settings changed: both named, in words, and nothing else', async () => {
    const { router } = demo('routeros7', 'home');
    const s = await readSnapshot(router);
    const steps = settingsSteps(s, {
      ...s.upnp,
      allowDisableExternalInterface: true,
      showDummyRule: !s.upnp.showDummyRule,
    });
    expect(steps).toHaveLength(1);
    const op = steps[0]!.op;
    expect(Object.keys(op.verb === 'set' ? op.attrs : {}).sort()).toEqual([
      'allow-disable-external-interface',
      'show-dummy-rule',
    ]);
    expect(steps[0]!.description).toMatch(/^Let devices switch off the Internet side; (show|hide) (a|the) placeholder/);
    expect(steps[0]!.description).not.toMatch(/UPnP on|dummy/);
    expect(settingsSteps(s, s.upnp)).toEqual([]);
  });
});
