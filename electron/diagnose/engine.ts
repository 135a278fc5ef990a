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
import type { Check, CheckInput, CheckResult } from './types';

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

/** One check to run, and the device it runs for (null: router-wide, or no device chosen). */
export interface PlannedCheck {
  check: Check;
  device: DiagnoseDevice | null;
  /** A device check run for one of the recognised consoles (no device chosen): its title and
   *  finding name the console. */
  forConsole: boolean;
  title: string;
}

/** "PS5-Guest (192.168.20.15)": how a report names a device. */
export const deviceName = (d: Pick<DiagnoseDevice, 'hostName' | 'address'>): string =>
  d.hostName ? `${d.hostName} (${d.address})` : d.address;

/** The console-ports check needs a platform PortPilot knows the ports of. */
const appliesTo = (c: Check, d: DiagnoseDevice | null): boolean =>
  c.id !== 'console-ports-blocked' || (d !== null && d.platform !== 'other' && d.platform !== 'voip');

/**
 * The checks of a symptom in the guide's order. A device check runs for the chosen device or, with
 * none chosen, once for every console PortPilot recognises (issue 12: skipping them missed the very
 * causes of the nat-type-3 scenario, a console on a guest VLAN and a UDP deny).
 */
export function checksFor(
  symptom: Symptom,
  chosen: DiagnoseDevice | null,
  consoles: DiagnoseDevice[] = [],
): PlannedCheck[] {
  const targets = chosen ? [chosen] : consoles;
  const forConsole = chosen === null;
  return CHECKS_BY_SYMPTOM[symptom].flatMap((check): PlannedCheck[] =>
    check.needsDevice
      ? targets
          .filter((d) => appliesTo(check, d))
          .map((device) => ({
            check,
            device,
            forConsole,
            title: forConsole ? `${check.title}: ${deviceName(device)}` : check.title,
          }))
      : [{ check, device: chosen, forConsole: false, title: check.title }],
  );
}

export interface DiagnoseOptions {
  device?: string;
  symptom: Symptom;
  igdExternalIp?: string;
  /** Called before a check runs (finding null) and after (its result). */
  onCheck?: (index: number, total: number, planned: PlannedCheck, finding: CheckResult | null) => void;
}

export interface DiagnosisResult {
  device: DiagnoseDevice | null;
  /** The chosen device, or every recognised console when none was chosen (see checksFor). */
  examined: DiagnoseDevice[];
  findings: CheckResult[];
  prediction: NatPrediction | null;
  predictions: NatPrediction[];
  ctx: DiagnoseContext;
}

export function resolveDevice(ctx: DiagnoseContext, address: string | undefined): DiagnoseDevice | null {
  if (!address) return null;
  return listDevices(ctx).find((d) => d.address === address) ?? unknownDevice(address);
}

/** A device check run for one of several consoles says which one, in its title and as a value. */
function runCheck(p: PlannedCheck, input: Omit<CheckInput, 'device'>): CheckResult {
  const f = p.check.run({ ...input, device: p.device });
  return p.forConsole && p.device ? { ...f, title: p.title, device: p.device.address } : f;
}

export async function runDiagnosis(router: RouterPort, opts: DiagnoseOptions): Promise<DiagnosisResult> {
  const ctx = await readContext(router, opts.igdExternalIp);
  const device = resolveDevice(ctx, opts.device);
  const examined = device ? [device] : listDevices(ctx).filter((d) => d.console);
  const planned = checksFor(opts.symptom, device, examined);
  const findings: CheckResult[] = [];
  for (const [i, p] of planned.entries()) {
    opts.onCheck?.(i, planned.length, p, null);
    // Yield between checks so progress events go out one by one.
    await new Promise((resolve) => setImmediate(resolve));
    const f = runCheck(p, { ctx, symptom: opts.symptom });
    findings.push(f);
    opts.onCheck?.(i, planned.length, p, f);
  }
  const predictions =
    opts.symptom === 'voip'
      ? []
      : examined.map((d) =>
          predictNat(
            d,
            findings.filter((f) => f.device === undefined || f.device === d.address),
          ),
        );
  return { device, examined, findings, prediction: device ? (predictions[0] ?? null) : null, predictions, ctx };
}

/** Failing first, then warnings, keeping the check order inside each group (for reports). */
export const failing = (findings: Array<CheckResult | Finding>) => findings.filter((f) => f.status === 'fail');
