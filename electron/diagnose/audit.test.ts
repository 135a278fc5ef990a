/** The security audit against demo-router states, both profiles: each finding failing, fixed, passing. */
import { describe, expect, it } from 'vitest';
import { demo } from '../config/test-support';
import { readSnapshot } from '../config/snapshot';
import { buildSetupPlan, recommendedChoices } from '../config/wizard/setup';
import type { RouterPort } from '../core/router-port';
import type { Profile } from '../demo-router/device/registry';
import { requestMapping } from '../demo-router/device/scenarios/hosts';
import { applyPlan } from '../plans';
import type { AuditId } from '../../shared/domains/diagnose';
import { runAudit } from './audit';

const PROFILES: Profile[] = ['seed', 'routeros7'];

async function finding(router: RouterPort, id: AuditId) {
  const a = await runAudit(router);
  const f = a.findings.find((x) => x.id === id);
  if (!f) throw new Error(`${id} missing`);
  return f;
}

async function mitigate(router: RouterPort, id: AuditId) {
  const f = await finding(router, id);
  expect(f.plan, `${id} offers a mitigation`).not.toBeNull();
  const report = await applyPlan(router, f.plan!);
  expect(report.outcome, report.failure?.message).toBe('applied');
  expect((await finding(router, id)).status).toBe('pass');
  return f;
}

describe.each(PROFILES)('audit (%s)', (profile) => {
  it('fresh scores higher after the recommended setup, and every lost point has a reason', async () => {
    const { router } = demo(profile, 'fresh');
    const before = await runAudit(router);
    expect(before.findings.find((f) => f.id === 'no-port-restrictions')?.status).toBe('fail');
    expect(before.reasons.map((r) => r.id)).toContain('no-port-restrictions');
    const s = await readSnapshot(router);
    expect((await applyPlan(router, buildSetupPlan(s, recommendedChoices(s)))).outcome).toBe('applied');
    const after = await runAudit(router);
    expect(after.score).toBeGreaterThan(before.score);
    expect(after.reasons.map((r) => r.id)).not.toContain('no-port-restrictions');
    for (const a of [before, after]) {
      expect(a.score).toBe(100 - a.reasons.reduce((n, r) => n + r.points, 0));
      for (const r of a.reasons) {
        expect(r.reason).toMatch(/^−\d+ \((high|medium|low) risk[^)]*\): not so yet — “[A-Z]/);
        expect(r.reason).not.toContain(r.id);
      }
    }
  });

  it('allow-disable-external-interface: on fails (high); the mitigation sets it to no', async () => {
    const { router } = demo(profile, 'home');
    await router.set('/ip/upnp', null, { 'allow-disable-external-interface': 'yes' });
    const f = await mitigate(router, 'allow-disable-external-interface');
    expect(f).toMatchObject({ status: 'fail', severity: 'high' });
  });

  it('privileged-ports-open: a live mapping on TCP 80 fails and names it', async () => {
    const { device, router } = demo('routeros7', 'home');
    const r = requestMapping(device, { protocol: 'tcp', port: 80, address: '192.168.88.40', description: 'lighttpd' });
    expect(r.ok).toBe(true);
    const f = await finding(router, 'privileged-ports-open');
    expect(f.status).toBe('fail');
    expect(f.evidence.join(' ')).toContain('TCP 80 → 192.168.88.40 “lighttpd”');
    expect(f.plan).not.toBeNull();
    if (profile === 'seed')
      expect((await finding(demo('seed', 'home').router, 'privileged-ports-open')).status).toBe('pass');
  });

  it('no-port-restrictions: the mitigation is the guide’s high-ports list (permissions or portpilot: rules)', async () => {
    const { router } = demo(profile, 'nat-type-3');
    if (profile === 'seed') {
      expect((await finding(router, 'no-port-restrictions')).status).toBe('pass');
      return;
    }
    const f = await mitigate(router, 'no-port-restrictions');
    expect(f.evidence[0]).toContain('no /ip upnp permissions menu');
    const managed = (await router.print('/ip/firewall/filter')).filter((r) =>
      (r['comment'] ?? '').startsWith('portpilot:'),
    );
    expect(managed.map((r) => r['dst-port'])).toEqual(['0-1023', '0-1023']);
  });

  it('untrusted-internal: vlan20-guest made internal warns; the mitigation removes the role', async () => {
    const { router } = demo(profile, 'nat-type-3');
    expect((await finding(router, 'untrusted-internal')).status).toBe('pass');
    await router.add('/ip/upnp/interfaces', { interface: 'vlan20-guest', type: 'internal' });
    const f = await mitigate(router, 'untrusted-internal');
    expect(f.evidence).toEqual(['vlan20-guest is internal and looks like a guest/IoT network']);
  });

  it('unknown-host-mappings: a mapping to an address no lease or ARP entry knows warns', async () => {
    const { device, router } = demo(profile, 'home');
    expect((await finding(router, 'unknown-host-mappings')).status).toBe('pass');
    requestMapping(device, { protocol: 'udp', port: 40001, address: '192.168.88.99', description: 'mystery' });
    const f = await finding(router, 'unknown-host-mappings');
    expect(f.status).toBe('warn');
    expect(f.evidence.join(' ')).toContain('192.168.88.99 “mystery”');
  });

  it('natpmp-unneeded: NAT-PMP on with no client and no Apple device warns; the mitigation turns it off', async () => {
    const { router } = demo(profile, 'nat-type-3');
    expect((await finding(router, 'natpmp-unneeded')).status).toBe('pass');
    await router.set('/ip/nat-pmp', null, { enabled: 'yes' });
    expect((await mitigate(router, 'natpmp-unneeded')).severity).toBe('low');
    expect((await finding(demo(profile, 'home').router, 'natpmp-unneeded')).status).toBe('pass');
  });

  it('no-audit-log: warns until the guide’s UPNP-FWD log rule exists', async () => {
    const { router } = demo(profile, 'home');
    await mitigate(router, 'no-audit-log');
    const log = (await router.print('/ip/firewall/filter')).find((r) => r['action'] === 'log');
    expect(log).toMatchObject({ chain: 'forward', 'log-prefix': 'UPNP-FWD ', 'connection-nat-state': 'dstnat' });
  });

  it('suggests static forwards for the servers (Plex, Jellyfin) and use-case advice per device', async () => {
    const { router } = demo(profile, 'home');
    const a = await runAudit(router);
    const forwards = a.suggestions.filter((s) => s.kind === 'static-forward');
    expect(forwards.map((s) => s.title).join(' ')).toMatch(/Plex Media Server on plex-server: TCP 32400/);
    const plex = forwards.find((s) => s.title.startsWith('Plex'));
    expect((await applyPlan(router, plex!.plan!)).outcome).toBe('applied');
    const nat = await router.print('/ip/firewall/nat');
    expect(
      nat.some((r) => r['dynamic'] !== 'true' && r['dst-port'] === '32400' && r['to-addresses'] === '192.168.88.10'),
    ).toBe(true);
    const advice = a.suggestions.filter((s) => s.kind === 'use-case');
    expect(advice.find((s) => s.title === 'PS5-Living-Room')?.advice).toMatch(/console/i);
    expect(advice.find((s) => s.title === 'plex-server')?.advice).toMatch(/static forward/);
  });
});
