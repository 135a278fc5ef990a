/**
 * Every troubleshooter check against demo-router states built for it, in both profiles: the failing
 * state, its fix applied through the plan engine, and the passing state afterwards.
 */
import { describe, expect, it } from 'vitest';
import { demo } from '../config/test-support';
import type { RouterPort } from '../core/router-port';
import type { Profile } from '../demo-router/device/registry';
import { applyPlan } from '../plans';
import { checkIds, type CheckId, type Symptom } from '../../shared/domains/diagnose';
import { runDiagnosis } from './engine';
import { fixEverything, failingIds, statusOf } from './test-support';

const PROFILES: Profile[] = ['seed', 'routeros7'];
const PS5 = '192.168.88.20';
const XBOX = '192.168.88.21';
const NAT3_CONSOLE = '192.168.20.15';

async function find(
  router: RouterPort,
  id: CheckId,
  device?: string,
  symptom: Symptom = 'nat-type-3',
  igdExternalIp?: string,
) {
  const r = await runDiagnosis(router, {
    symptom,
    ...(device ? { device } : {}),
    ...(igdExternalIp ? { igdExternalIp } : {}),
  });
  const f = r.findings.find((x) => x.id === id);
  if (!f) throw new Error(`${id} did not run`);
  return f;
}

/** Fails first, its fix applies cleanly, then it passes. */
async function failsThenFixed(router: RouterPort, id: CheckId, device?: string, symptom: Symptom = 'nat-type-3') {
  const before = await find(router, id, device, symptom);
  expect(before.status, before.evidence.join('\n')).not.toBe('pass');
  expect(before.plan, `${id} offers a fix`).not.toBeNull();
  const report = await applyPlan(router, before.plan!);
  expect(report.outcome, report.failure?.message).toBe('applied');
  const after = await find(router, id, device, symptom);
  expect(after.status, after.evidence.join('\n')).toBe('pass');
  return before;
}

describe.each(PROFILES)('checks (%s)', (profile) => {
  it('upnp-disabled: home passes; switched off fails; the fix turns it on', async () => {
    const { router } = demo(profile, 'home');
    expect((await find(router, 'upnp-disabled')).status).toBe('pass');
    await router.set('/ip/upnp', null, { enabled: 'no' });
    const f = await failsThenFixed(router, 'upnp-disabled');
    expect(f.evidence).toContain('/ip upnp print: enabled=no');
  });

  it('no-internal-interface / no-external-interface: fresh fails both; fixes add bridge-lan and ether1', async () => {
    const { router } = demo(profile, 'fresh');
    const internal = await failsThenFixed(router, 'no-internal-interface');
    expect(internal.plan?.steps.map((s) => s.cli).join('\n')).toContain('interface=bridge-lan type=internal');
    const external = await failsThenFixed(router, 'no-external-interface');
    expect(external.plan?.steps.map((s) => s.cli).join('\n')).toContain('interface=ether1 type=external');
  });

  it('external-not-wan: the external role on ether5 fails; the fix moves it to the default-route interface', async () => {
    const { router } = demo(profile, 'home');
    expect((await find(router, 'external-not-wan')).status).toBe('pass');
    const rows = await router.print('/ip/upnp/interfaces');
    const ext = rows.find((r) => r['type'] === 'external');
    await router.remove('/ip/upnp/interfaces', [ext?.['.id'] ?? '']);
    await router.add('/ip/upnp/interfaces', { interface: 'ether5', type: 'external' });
    const f = await failsThenFixed(router, 'external-not-wan');
    expect(f.evidence.join(' ')).toContain('default route goes out through ether1');
  });

  it('device-not-internal: the console on vlan20-guest fails (with the guest warning on the fix); home’s console passes', async () => {
    const { router } = demo(profile, 'nat-type-3');
    const f = await failsThenFixed(router, 'device-not-internal', NAT3_CONSOLE);
    expect(f.evidence.join(' ')).toContain('vlan20-guest is a VLAN on bridge-lan');
    expect(f.plan?.warnings.join(' ')).toMatch(/guest/i);
    const home = demo(profile, 'home').router;
    expect((await find(home, 'device-not-internal', PS5)).status).toBe('pass');
  });

  it('no-mappings-for-device: home’s PS5 passes (lists its mappings), the nat-type-3 console warns, an absent host is unknown', async () => {
    const { router } = demo(profile, 'home');
    const ps5 = await find(router, 'no-mappings-for-device', PS5);
    expect(ps5.status).toBe('pass');
    expect(ps5.evidence.join(' ')).toContain('UDP 3074');
    const nat3 = demo(profile, 'nat-type-3').router;
    const console = await find(nat3, 'no-mappings-for-device', NAT3_CONSOLE);
    expect(console.status).toBe('warn');
    expect(console.plan).toBeNull();
    expect((await find(router, 'no-mappings-for-device', '192.168.88.50', 'no-mappings')).status).toBe('unknown');
  });

  it('double-nat: private WAN fails with no fix; public WAN passes; an IGD address ≠ WAN address fails', async () => {
    const nat3 = demo(profile, 'nat-type-3').router;
    const f = await find(nat3, 'double-nat');
    expect(f.status).toBe('fail');
    expect(f.plan).toBeNull();
    expect(f.explanation).toContain('UPnP only opens ports in the local router’s NAT');
    const { router } = demo(profile, 'home');
    expect((await find(router, 'double-nat')).status).toBe('pass');
    expect((await find(router, 'double-nat', undefined, 'nat-type-3', '81.2.69.142')).status).toBe('pass');
    const mismatch = await find(router, 'double-nat', undefined, 'nat-type-3', '100.72.3.4');
    expect(mismatch.status).toBe('fail');
    expect(mismatch.evidence.join(' ')).toContain('IGD reports 100.72.3.4');
  });

  it('ssdp-blocked: nat-type-3’s rule is disabled by the fix; a broad LAN drop gets an accept in front', async () => {
    const nat3 = demo(profile, 'nat-type-3').router;
    const f = await failsThenFixed(nat3, 'ssdp-blocked');
    expect(f.evidence.join(' ')).toContain('drop SSDP from LAN');
    expect(f.plan?.steps[0]?.cli).toContain('disabled=yes');
    const { router } = demo(profile, 'home');
    expect((await find(router, 'ssdp-blocked')).status).toBe('pass');
    await router.add('/ip/firewall/filter', {
      chain: 'input',
      action: 'drop',
      'in-interface': 'bridge-lan',
      'place-before': '0',
    });
    const broad = await failsThenFixed(router, 'ssdp-blocked');
    expect(broad.evidence.join(' ')).toMatch(/TCP 2828/);
    expect(broad.plan?.steps.every((s) => s.op.verb === 'add')).toBe(true);
  });

  it('forward-drops-dstnat: a drop of new WAN connections ahead of the dstnat exemption fails; the fix exempts dst-nat', async () => {
    const { router } = demo(profile, 'home');
    expect((await find(router, 'forward-drops-dstnat', PS5)).status).toBe('pass');
    await router.add('/ip/firewall/filter', {
      chain: 'forward',
      action: 'drop',
      'connection-state': 'new',
      'in-interface': 'ether1',
      'place-before': '0',
    });
    const f = await failsThenFixed(router, 'forward-drops-dstnat', PS5);
    expect(f.plan?.steps[0]?.cli).toContain('connection-nat-state=!dstnat');
  });

  it('no-eim-udp: home warns; the fix puts action=endpoint-independent-nat before the masquerade and adds the dstnat rule', async () => {
    const { router } = demo(profile, 'home');
    const f = await failsThenFixed(router, 'no-eim-udp');
    expect(f.status).toBe('warn');
    expect(f.evidence[0]).toMatch(/first srcnat rule UDP out of ether1 reaches: \*\w+ chain=srcnat action=masquerade/);
    const cli = f.plan?.steps.map((x) => x.cli) ?? [];
    expect(cli[0]).toMatch(
      /chain=srcnat action=endpoint-independent-nat out-interface=ether1 protocol=udp .*place-before=\*/,
    );
    expect(cli[1]).toContain('chain=dstnat action=endpoint-independent-nat in-interface=ether1 protocol=udp');
    // The seed guide's profile reports no readable version ("7.x"): the plan says it needs 7.10+.
    expect(f.plan?.warnings.join(' ') ?? '').toMatch(profile === 'seed' ? /needs RouterOS 7\.10/ : /^$/);
  });

  it('no-eim-udp: a UDP masquerade (the old fix) is not endpoint-independent NAT', async () => {
    const { router } = demo(profile, 'home');
    await router.add('/ip/firewall/nat', {
      chain: 'srcnat',
      action: 'masquerade',
      'out-interface': 'ether1',
      protocol: 'udp',
    });
    const f = await find(router, 'no-eim-udp');
    expect(f.status).toBe('warn');
    expect(f.evidence.join('\n')).toMatch(/is a masquerade: it does not make UDP mappings endpoint-independent/);
  });

  it('port-conflict: the PS5 holds UDP 3074 the Xbox also wanted (warn, advice only); the Pi has no conflict', async () => {
    const { router } = demo(profile, 'home');
    const ps5 = await find(router, 'port-conflict', PS5);
    expect(ps5.status).toBe('warn');
    expect(ps5.evidence.join(' ')).toContain('192.168.88.21 wanted the same UDP 3074 and got 3075');
    expect(ps5.plan).toBeNull();
    const xbox = await find(router, 'port-conflict', XBOX);
    expect(xbox.evidence.join(' ')).toContain('already holds 3074');
    expect((await find(router, 'port-conflict', '192.168.88.40')).status).toBe('pass');
  });

  it('sip-helper: enabled passes; disabled warns and the fix turns it on', async () => {
    const { router } = demo(profile, 'home');
    expect((await find(router, 'sip-helper', undefined, 'voip')).status).toBe('pass');
    const sip = (await router.print('/ip/firewall/service-port')).find((r) => r['name'] === 'sip');
    await router.set('/ip/firewall/service-port', sip?.['.id'] ?? '', { disabled: 'yes' });
    await failsThenFixed(router, 'sip-helper', undefined, 'voip');
  });
});

describe('permission checks', () => {
  it('seed nat-type-3: the UDP deny before the allows is named; one fix allows the console before it', async () => {
    const { router } = demo('seed', 'nat-type-3');
    const deny = await find(router, 'permission-denies-device', NAT3_CONSOLE);
    expect(deny.status).toBe('fail');
    expect(deny.evidence.join(' ')).toContain('permission #1: deny UDP any port on ether1 (“block all UDP”)');
    expect((await find(router, 'udp-not-allowed', NAT3_CONSOLE)).status).toBe('fail');
    const ports = await find(router, 'console-ports-blocked', NAT3_CONSOLE);
    expect(ports.status).toBe('fail');
    expect(ports.evidence.join(' ')).toContain('PlayStation Support');
    await failsThenFixed(router, 'udp-not-allowed', NAT3_CONSOLE);
    const perms = await router.print('/ip/upnp/permissions');
    expect(perms[0]).toMatchObject({ action: 'allow', 'internal-address': NAT3_CONSOLE });
    expect(perms.some((p) => p['comment'] === 'block all UDP')).toBe(true);
    for (const id of ['permission-denies-device', 'console-ports-blocked'] as const)
      expect((await find(router, id, NAT3_CONSOLE)).status).toBe('pass');
  });

  it('a pinned port (the guide’s Plex allow + deny) is not a fault for other devices', async () => {
    const { router } = demo('seed', 'home');
    await router.add('/ip/upnp/permissions', {
      action: 'allow',
      interface: 'ether1',
      protocol: 'udp',
      'dst-port': '3074',
      'internal-address': '192.168.88.10',
      'place-before': '0',
    });
    await router.add('/ip/upnp/permissions', {
      action: 'deny',
      interface: 'ether1',
      protocol: 'udp',
      'dst-port': '3074',
      'place-before': '1',
    });
    expect((await find(router, 'udp-not-allowed', '192.168.88.30')).status).toBe('pass');
  });

  it('routeros7: evaluates PortPilot filter rules, says the permissions menu does not exist, fixes with an accept', async () => {
    const { router } = demo('routeros7', 'home');
    const none = await find(router, 'permission-denies-device', PS5);
    expect(none.status).toBe('pass');
    expect(none.evidence.join(' ')).toContain('permissions menu does not exist');
    const first = (await router.print('/ip/firewall/filter')).find((r) => r['chain'] === 'forward');
    await router.add('/ip/firewall/filter', {
      chain: 'forward',
      action: 'drop',
      'connection-nat-state': 'dstnat',
      'in-interface': 'ether1',
      protocol: 'udp',
      comment: 'portpilot: block UDP',
      'place-before': first?.['.id'] ?? '',
    });
    const f = await find(router, 'udp-not-allowed', PS5);
    expect(f.status).toBe('fail');
    expect(f.evidence.join(' ')).toContain('PortPilot filter rule “portpilot: block UDP”');
    expect((await find(router, 'console-ports-blocked', PS5)).status).toBe('fail');
    await failsThenFixed(router, 'permission-denies-device', PS5);
    const accept = (await router.print('/ip/firewall/filter')).find(
      (r) => r['action'] === 'accept' && r['dst-address'] === PS5,
    );
    expect(accept?.['comment']).toMatch(/^portpilot:/);
    expect((await find(router, 'udp-not-allowed', PS5)).status).toBe('pass');
  });
});

describe.each(PROFILES)('nat-type-3 end to end (%s)', (profile) => {
  it('reports the guide’s causes; every fix applied leaves only double NAT; the prediction improves', async () => {
    const { router } = demo(profile, 'nat-type-3');
    const { before, after, applied } = await fixEverything(router, NAT3_CONSOLE, 'nat-type-3', 12);
    const was = statusOf(before);
    expect(was['device-not-internal']).toBe('fail');
    expect(was['double-nat']).toBe('fail');
    expect(was['ssdp-blocked']).toBe('fail');
    if (profile === 'seed') expect([was['permission-denies-device'], was['udp-not-allowed']]).toContain('fail');
    expect(before.prediction).toMatchObject({ level: 'strict', label: 'Type 3' });
    // The reasons name the failing checks by their titles, never by their ids (issue 13).
    const why = before.prediction?.reasons.join(' ') ?? '';
    expect(why).toContain('“The device is on an internal UPnP interface”');
    for (const id of checkIds) expect(why).not.toContain(id);
    expect(applied).toEqual(expect.arrayContaining(['device-not-internal', 'ssdp-blocked']));
    expect(failingIds(after)).toEqual(['double-nat']);
    expect(after.findings.filter((f) => f.status !== 'pass').every((f) => f.plan === null)).toBe(true);
    expect(after.prediction?.level).toBe('moderate');
    expect(after.prediction?.reasons.join(' ')).toContain('double NAT');
  });
});

describe.each(PROFILES)('home console (%s)', (profile) => {
  it.each([PS5, XBOX])('%s: no failing check, predicted Open', async (address) => {
    const { router } = demo(profile, 'home');
    for (const symptom of ['nat-type-3', 'no-mappings', 'after-restart'] as const) {
      const r = await runDiagnosis(router, { device: address, symptom });
      expect(failingIds(r), symptom).toEqual([]);
      expect(r.prediction?.level).toBe('open');
    }
  });
});

describe('after a router restart', () => {
  it('UPnP off after a reboot is explained as a setting that was not saved', async () => {
    const { device, router } = demo('routeros7', 'home');
    await router.set('/ip/upnp', null, { enabled: 'no' });
    device.reboot();
    const f = await find(router, 'upnp-disabled', PS5, 'after-restart');
    expect(f.status).toBe('fail');
    expect(f.explanation).toContain('not saved');
    const nat3 = demo('routeros7', 'nat-type-3').router;
    expect((await find(nat3, 'no-mappings-for-device', NAT3_CONSOLE, 'after-restart')).explanation).toContain(
      'drops every mapping',
    );
  });
});
