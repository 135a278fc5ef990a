/**
 * The troubleshooter without a chosen device (issue 12): the device checks run for every console
 * PortPilot recognises, each finding names its console, and each console gets its own prediction.
 */
import { describe, expect, it } from 'vitest';
import { demo } from '../config/test-support';
import { runDiagnosis } from './engine';

describe('runDiagnosis without a device', () => {
  it('nat-type-3: finds the causes planted on the guest-VLAN console, with the console named', async () => {
    const { router } = demo('seed', 'nat-type-3');
    const r = await runDiagnosis(router, { symptom: 'nat-type-3' });
    expect(r.device).toBeNull();
    expect(r.prediction).toBeNull();
    expect(r.examined.map((d) => d.hostName)).toEqual(['PS5-Guest']);
    for (const id of ['device-not-internal', 'permission-denies-device'] as const) {
      const f = r.findings.find((x) => x.id === id);
      expect(f, id).toMatchObject({ status: 'fail', device: '192.168.20.15' });
      expect(f?.title).toMatch(/: PS5-Guest \(192\.168\.20\.15\)$/);
      expect(f?.plan, `${id} offers its fix`).not.toBeNull();
    }
    // Router-wide checks stay about the router.
    expect(r.findings.find((x) => x.id === 'double-nat')?.device).toBeUndefined();
    expect(r.predictions).toEqual([expect.objectContaining({ device: '192.168.20.15', level: 'strict' })]);
  });

  it('home: one finding per console for each device check, in the guide’s order, and a prediction each', async () => {
    const { router } = demo('routeros7', 'home');
    const r = await runDiagnosis(router, { symptom: 'nat-type-3' });
    const consoles = r.examined.map((d) => d.address).sort();
    // PS5, Xbox, Switch, and the PS4 that is switched off: recognised all the same.
    expect(consoles).toEqual(['192.168.88.20', '192.168.88.21', '192.168.88.22', '192.168.88.52']);
    const internal = r.findings.filter((f) => f.id === 'device-not-internal');
    expect(internal.map((f) => f.device).sort()).toEqual(consoles);
    expect(r.findings.findIndex((f) => f.id === 'device-not-internal')).toBeLessThan(
      r.findings.findIndex((f) => f.id === 'ssdp-blocked'),
    );
    expect(r.predictions.map((p) => p.device).sort()).toEqual(consoles);
    expect(r.predictions.find((p) => p.platform === 'switch')?.label).toMatch(/^NAT Type/);
  });

  it('a chosen device is the only one examined, and its findings carry no device field', async () => {
    const { router } = demo('routeros7', 'home');
    const r = await runDiagnosis(router, { symptom: 'nat-type-3', device: '192.168.88.21' });
    expect(r.examined.map((d) => d.address)).toEqual(['192.168.88.21']);
    expect(r.findings.every((f) => f.device === undefined)).toBe(true);
    expect(r.prediction).toEqual(r.predictions[0]);
  });

  it('a network without a recognised console runs the router-wide checks only, and says so', async () => {
    const { router } = demo('routeros7', 'fresh');
    const r = await runDiagnosis(router, { symptom: 'no-mappings' });
    expect(r.examined).toEqual([]);
    expect(r.findings.some((f) => f.id === 'device-not-internal')).toBe(false);
    expect(r.predictions).toEqual([]);
  });
});
