/**
 * The NAT type the device's platform should report, from the findings. The guide: "When UPnP is
 * unavailable, consoles typically fall back to NAT Type 2 (moderate) or NAT Type 3 (strict)", and
 * "UPnP only affects the local router's NAT table" (double NAT). Endpoint-independent UDP mapping
 * lets STUN hole punching work without UPnP, which is what separates Moderate from Strict then.
 */
import type { CheckId, DiagnoseDevice, NatPrediction, Platform } from '../../shared/domains/diagnose';
import { platformNatLabel, verdictFromLevel } from '../../shared/nat-type';
import type { CheckResult } from './types';

/** Checks whose failure means UPnP cannot open this device's ports. */
const BLOCKERS: CheckId[] = [
  'upnp-disabled',
  'no-internal-interface',
  'no-external-interface',
  'external-not-wan',
  'device-not-internal',
  'permission-denies-device',
  'udp-not-allowed',
  'console-ports-blocked',
  'ssdp-blocked',
  'forward-drops-dstnat',
];

type Level = NatPrediction['level'];

/** The platform's own word for a predicted level; the measurement (cli nat-type, the self-test)
 *  labels through the same shared/nat-type.ts, so prediction and measurement always agree. */
export function platformLabel(platform: Platform, level: Level): string {
  return platformNatLabel(platform, verdictFromLevel(level));
}

export function predictNat(device: DiagnoseDevice, findings: CheckResult[]): NatPrediction {
  const failed = (id: CheckId) => findings.some((f) => f.id === id && f.status === 'fail');
  const blockers = findings.filter((f) => BLOCKERS.includes(f.id as CheckId) && f.status === 'fail');
  const doubleNat = failed('double-nat');
  const eim = findings.find((f) => f.id === 'no-eim-udp')?.status === 'pass';
  const reasons: string[] = [];
  let level: Level;
  if (blockers.length) {
    // The checks by their titles, as the screen lists them: check ids are for support (issue 13).
    reasons.push(`UPnP cannot open ports for this device: “${blockers.map((b) => b.title).join('” and “')}” fail`);
    level = eim && !doubleNat ? 'moderate' : 'strict';
    reasons.push(
      eim
        ? 'endpoint-independent UDP NAT lets hole punching work without UPnP'
        : 'without UPnP and without endpoint-independent UDP NAT, peers cannot reach it',
    );
  } else if (doubleNat) {
    level = 'moderate';
    reasons.push(
      'UPnP works on this router, but a second NAT in front of it (double NAT) still blocks unsolicited traffic: Moderate at best, Strict if the upstream NAT is strict',
    );
  } else {
    level = 'open';
    reasons.push(
      'UPnP is on, the device is internal, its ports are allowed, discovery is not blocked and the router holds the public address',
    );
  }
  if (device.platform === 'playstation' && level !== 'strict')
    reasons.push(
      'PlayStation shows Type 1 only when connected straight to the internet with no router; behind a working router the best is Type 2',
    );
  if (!findings.some((f) => f.id === 'no-mappings-for-device' && f.status === 'pass') && level === 'open')
    reasons.push('once the device asks for its mappings (UPnP on in its network settings)');
  return {
    device: device.address,
    platform: device.platform,
    level,
    label: platformLabel(device.platform, level),
    reasons,
  };
}
