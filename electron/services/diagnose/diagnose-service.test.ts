import { describe, expect, it } from 'vitest';
import { ContractError } from '../../../shared/contract/result';
import type { CallContext } from '../../../shared/contract/define';
import type { CheckEvent } from '../../../shared/domains/diagnose';
import type { ProgressEvent } from '../../../shared/domains/config';
import { demo } from '../../config/test-support';
import type { RouterPort } from '../../core/router-port';
import { createDiagnoseService } from './diagnose-service';
import { testLink } from '../../../tests/support/test-link';
import { memoryJournalStore } from '../../plans';
import { ChangeApplier } from '../change-applier';

const ctx = { transport: 'websocket' } as CallContext;

function service(router: RouterPort | null, externalIp?: string) {
  const checks: CheckEvent[] = [];
  const progress: ProgressEvent[] = [];
  const link = router ? testLink(router) : null;
  const svc = createDiagnoseService({
    router: () => link,
    changes: new ChangeApplier({ router: () => link, journal: memoryJournalStore() }),
    emit: (name, payload) => {
      if (name === 'check') checks.push(payload as CheckEvent);
      else progress.push(payload as ProgressEvent);
    },
    gatewayUrl: () => (externalIp ? 'http://127.0.0.1:1/gateway.xml' : null),
    externalIp: async () => externalIp ?? '',
  });
  return { svc, checks, progress };
}

describe('diagnose service', () => {
  it('lists consoles first, detected by host name and MAC vendor', async () => {
    const { router } = demo('routeros7', 'home');
    const devices = await service(router).svc.devices(undefined, ctx);
    expect(
      devices
        .slice(0, 3)
        .map((d) => d.platform)
        .sort(),
    ).toEqual(['playstation', 'switch', 'xbox']);
    expect(devices.find((d) => d.address === '192.168.88.20')).toMatchObject({
      vendor: expect.stringMatching(/Sony Interactive/),
      console: true,
      interface: 'bridge-lan',
    });
  });

  it('streams a running and a finished event per check, returns fixes as previewable plans, applies one by id', async () => {
    const { router } = demo('seed', 'nat-type-3');
    const { svc, checks, progress } = service(router);
    const d = await svc.run({ device: '192.168.20.15', symptom: 'nat-type-3' }, ctx);
    expect(checks.length).toBe(d.findings.length * 2);
    expect(checks[0]).toMatchObject({ index: 0, finding: null });
    expect(checks[1]?.finding?.id).toBe(checks[0]?.id);
    const fix = d.findings.find((f) => f.id === 'ssdp-blocked')?.fix;
    expect(fix?.script).toContain('/ip firewall filter');
    expect(d.text).toContain('[FAIL] The router has a public WAN address (no double NAT)');
    expect(d.text).toContain('check id, for support: double-nat');
    expect(d.text).toContain('Predicted NAT type: Type 3');
    const report = await svc.apply({ planId: fix?.id ?? '' }, ctx);
    expect(report.outcome).toBe('applied');
    expect(progress.some((p) => p.phase === 'applied')).toBe(true);
    await expect(svc.apply({ planId: fix?.id ?? '' }, ctx)).rejects.toMatchObject({ code: 'unknown-plan' });
    const again = await svc.run({ device: '192.168.20.15', symptom: 'nat-type-3' }, ctx);
    expect(again.findings.find((f) => f.id === 'ssdp-blocked')?.status).toBe('pass');
  });

  it('without a device: events and findings name the console each device check ran for; the report says which', async () => {
    const { router } = demo('seed', 'nat-type-3');
    const { svc, checks } = service(router);
    const d = await svc.run({ symptom: 'nat-type-3' }, ctx);
    expect(d.examined.map((x) => x.address)).toEqual(['192.168.20.15']);
    const running = checks.find((e) => e.id === 'device-not-internal' && e.finding === null);
    expect(running).toMatchObject({ device: '192.168.20.15', title: expect.stringContaining('PS5-Guest') });
    expect(d.findings.find((f) => f.id === 'permission-denies-device')).toMatchObject({
      status: 'fail',
      device: '192.168.20.15',
      fix: expect.objectContaining({ id: expect.any(String) }),
    });
    expect(d.findings.find((f) => f.id === 'ssdp-blocked')).not.toHaveProperty('device');
    expect(d.text).toContain('Device: none chosen: examined every console PortPilot recognises: PS5-Guest');
    expect(d.text).toContain('Predicted NAT type for PS5-Guest: Type 3');
  });

  it('compares the IGD’s external address with the router’s WAN when a gateway URL is known', async () => {
    const { router } = demo('routeros7', 'home');
    const d = await service(router, '100.64.9.9').svc.run({ symptom: 'no-mappings' }, ctx);
    const f = d.findings.find((x) => x.id === 'double-nat');
    expect(f?.status).toBe('fail');
    expect(f?.evidence.join(' ')).toContain('IGD GetExternalIPAddress: 100.64.9.9');
  });

  it('audit returns score, reasons, suggestions with fixes', async () => {
    const { router } = demo('routeros7', 'home');
    const a = await service(router).svc.audit(undefined, ctx);
    expect(a.score).toBeLessThan(100);
    expect(a.reasons.length).toBeGreaterThan(0);
    expect(a.suggestions.some((s) => s.kind === 'static-forward' && s.fix !== null)).toBe(true);
    expect(a.text).toMatch(/Score: \d+\/100/);
  });

  it('not connected and busy are contract errors', async () => {
    await expect(service(null).svc.run({ symptom: 'nat-type-3' }, ctx)).rejects.toBeInstanceOf(ContractError);
    const { router } = demo('routeros7', 'home');
    const { svc } = service(router);
    const first = svc.run({ symptom: 'nat-type-3' }, ctx);
    await expect(svc.audit(undefined, ctx)).rejects.toMatchObject({ code: 'busy' });
    await first;
  });
});
