/**
 * Runs the checks for a symptom, one by one (the screen shows them live), and predicts the NAT type.
 * Plain Node: the router comes in as a RouterPort, the IGD's external address as a value.
 */
import type { DiagnoseDevice, Finding, NatPrediction, Symptom } from '../../shared/domains/diagnose';
import type { RouterPort } from '../core/router-port';
import { readContext, type DiagnoseContext } from './context';
import { deviceNotInternal, noMappingsForDevice, portConflict, sipHelper } from './checks-device';
import { forwardDropsDstnat, ssdpBlocked } from './checks-firewall';
import { consolePortsBlocked, permissionDenies, udpNotAllowed } from './checks-permissions';
import { doubleNat, externalNotWan, noEimUdp, noExternal, noInternal, upnpDisabled } from './checks-router';
import { listDevices, unknownDevice } from './devices';
import { predictNat } from './predict';
import type { Check, CheckResult } from './types';

const BASE: Check[] = [upnpDisabled, noInternal, noExternal, externalNotWan, deviceNotInternal];
const PERMS: Check[] = [permissionDenies, udpNotAllowed];

/** The guide's lists, in its order, plus what it forgets. */
export const CHECKS_BY_SYMPTOM: Record<Symptom, Check[]> = {
  'nat-type-3': [
    ...BASE,
    ...PERMS,
    consolePortsBlocked,
    ssdpBlocked,
    forwardDropsDstnat,
    noMappingsForDevice,
    portConflict,
    noEimUdp,
    doubleNat,
  ],
  'no-mappings': [
    ...BASE,
    ...PERMS,
    consolePortsBlocked,
    noMappingsForDevice,
    ssdpBlocked,
    forwardDropsDstnat,
    doubleNat,
  ],
  'after-restart': [...BASE, ...PERMS, noMappingsForDevice, ssdpBlocked, forwardDropsDstnat, portConflict, doubleNat],
  voip: [sipHelper, ...BASE, ...PERMS, forwardDropsDstnat, noEimUdp, doubleNat],
};

export function checksFor(symptom: Symptom, device: DiagnoseDevice | null): Check[] {
  return CHECKS_BY_SYMPTOM[symptom].filter(
    (c) =>
      (device || !c.needsDevice) &&
      (c.id !== 'console-ports-blocked' ||
        (device !== null && device.platform !== 'other' && device.platform !== 'voip')),
  );
}

export interface DiagnoseOptions {
  device?: string;
  symptom: Symptom;
  igdExternalIp?: string;
  /** Called before a check runs (finding null) and after (its result). */
  onCheck?: (index: number, total: number, check: Check, finding: CheckResult | null) => void;
}

export interface DiagnosisResult {
  device: DiagnoseDevice | null;
  findings: CheckResult[];
  prediction: NatPrediction | null;
  ctx: DiagnoseContext;
}

export function resolveDevice(ctx: DiagnoseContext, address: string | undefined): DiagnoseDevice | null {
  if (!address) return null;
  return listDevices(ctx).find((d) => d.address === address) ?? unknownDevice(address);
}

export async function runDiagnosis(router: RouterPort, opts: DiagnoseOptions): Promise<DiagnosisResult> {
  const ctx = await readContext(router, opts.igdExternalIp);
  const device = resolveDevice(ctx, opts.device);
  const checks = checksFor(opts.symptom, device);
  const findings: CheckResult[] = [];
  for (const [i, check] of checks.entries()) {
    opts.onCheck?.(i, checks.length, check, null);
    // Yield between checks so progress events go out one by one.
    await new Promise((resolve) => setImmediate(resolve));
    const f = check.run({ ctx, device, symptom: opts.symptom });
    findings.push(f);
    opts.onCheck?.(i, checks.length, check, f);
  }
  const prediction = device && opts.symptom !== 'voip' ? predictNat(device, findings) : null;
  return { device, findings, prediction, ctx };
}

/** Failing first, then warnings, keeping the check order inside each group (for reports). */
export const failing = (findings: Array<CheckResult | Finding>) => findings.filter((f) => f.status === 'fail');
