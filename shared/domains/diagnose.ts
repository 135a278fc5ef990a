import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';
import type { ApplyReport, LanHost, PlanView, ProgressEvent } from './config';

/** A dotted-quad IPv4 address, each part 0–255 without leading zeros. */
const IPV4_DOTTED_QUAD = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;

/*
 * Troubleshooter and security audit. Main runs the checks (the guide's "no mappings appear" list, its
 * NAT Type 3 advice, and the ones the guide forgets) and keeps every fix as a change plan by id; the
 * renderer previews a fix's script and applies it by id, so it can never send router operations.
 *
 * Check ids are part of the contract and of the CLI's JSON output.
 */
export const checkIds = [
  'upnp-disabled',
  'no-internal-interface',
  'no-external-interface',
  'external-not-wan',
  'device-not-internal',
  'permission-denies-device',
  'udp-not-allowed',
  'console-ports-blocked',
  'no-mappings-for-device',
  'double-nat',
  'ssdp-blocked',
  'forward-drops-dstnat',
  'no-eim-udp',
  'port-conflict',
  'sip-helper',
] as const;
export type CheckId = (typeof checkIds)[number];

export const auditIds = [
  'allow-disable-external-interface',
  'privileged-ports-open',
  'no-port-restrictions',
  'untrusted-internal',
  'unknown-host-mappings',
  'natpmp-unneeded',
  'no-audit-log',
] as const;
export type AuditId = (typeof auditIds)[number];

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'unknown';
export type Severity = 'high' | 'medium' | 'low';

export const symptoms = ['nat-type-3', 'no-mappings', 'after-restart', 'voip'] as const;
export type Symptom = (typeof symptoms)[number];
export const SYMPTOM_LABELS: Record<Symptom, string> = {
  'nat-type-3': 'NAT Type 3 / Strict',
  'no-mappings': 'No mappings appear',
  'after-restart': 'Stopped working after a router restart',
  voip: 'VoIP one-way audio',
};

export type Platform = 'xbox' | 'playstation' | 'switch' | 'steam' | 'voip' | 'other';

export interface Finding {
  id: CheckId | AuditId;
  title: string;
  status: CheckStatus;
  /** What PortPilot saw on the router, one line each (rows, addresses, rule numbers). */
  evidence: string[];
  /** Why it matters and what to do, in plain words. */
  explanation: string;
  /** The change plan that fixes it (null = PortPilot cannot fix it, e.g. double NAT). */
  fix: PlanView | null;
  severity?: Severity;
  /** The console this device check is about, when no device was chosen and the run examined every
   *  console PortPilot recognised (issue 12); absent for router-wide checks and a chosen device. */
  device?: string;
}

export interface NatPrediction {
  /** The device it is predicted for (its IPv4 address). */
  device: string;
  platform: Platform;
  level: 'open' | 'moderate' | 'strict';
  /** What the platform shows: "Open", "Type 2", "NAT Type A"… */
  label: string;
  reasons: string[];
}

export interface DiagnoseDevice extends LanHost {
  /** Interface the device is on (ARP / DHCP server), '' when unknown. */
  interface: string;
  platform: Platform;
  /** Detected as a game console (host name or MAC vendor). */
  console: boolean;
}

export interface Diagnosis {
  runId: string;
  symptom: Symptom;
  device: DiagnoseDevice | null;
  /** The devices the device checks examined: the chosen one, or, with none chosen, every console
   *  PortPilot recognises on the network ([] when it recognises none: only router-wide checks ran). */
  examined: DiagnoseDevice[];
  findings: Finding[];
  /** The chosen device's NAT type (null without a chosen device, and for VoIP). */
  prediction: NatPrediction | null;
  /** One per examined device (the chosen one, or every console), VoIP runs excepted. */
  predictions: NatPrediction[];
  /** Plain-text report for copying into a forum post or support ticket. */
  text: string;
  finishedAt: string;
}

export interface ScoreReason {
  id: AuditId;
  points: number;
  reason: string;
}

export interface Suggestion {
  kind: 'static-forward' | 'use-case';
  device: string;
  title: string;
  advice: string;
  fix: PlanView | null;
}

export interface AuditReport {
  findings: Finding[];
  score: number;
  reasons: ScoreReason[];
  suggestions: Suggestion[];
  text: string;
}

export interface CheckEvent {
  runId: string;
  index: number;
  total: number;
  id: CheckId;
  title: string;
  /** The console the check runs for when the run examines every recognised console (see Finding). */
  device?: string;
  /** 'running' while the check is being evaluated, then its finding. */
  finding: Finding | null;
}

const runInput = z
  .object({
    device: z.string().max(15).regex(IPV4_DOTTED_QUAD, 'must be an IPv4 address such as 192.168.88.20').optional(),
    symptom: z.enum(symptoms),
  })
  .strict();
const planId = z.object({ planId: z.string().min(1).max(64) }).strict();

export const diagnoseDomain = defineDomain({
  name: 'diagnose',
  methods: {
    /** LAN devices for the picker: consoles (DHCP host name, MAC vendor) first, then every host. */
    devices: method<z.ZodUndefined, DiagnoseDevice[]>(z.undefined()),
    /** Runs the checks for a symptom (one `check` event before and after each), returns the diagnosis. */
    run: method<typeof runInput, Diagnosis>(runInput),
    audit: method<z.ZodUndefined, AuditReport>(z.undefined()),
    /** Applies a fix offered by the last run or audit (progress as `progress` events). */
    apply: method<typeof planId, ApplyReport>(planId),
  },
  events: {
    check: event<CheckEvent>(),
    progress: event<ProgressEvent>(),
  },
  errorCodes: ['not-connected', 'busy', 'unknown-plan', 'unknown-device', 'router-error', 'read-only'],
});
export type DiagnoseErrorCode = (typeof diagnoseDomain.errorCodes)[number];
