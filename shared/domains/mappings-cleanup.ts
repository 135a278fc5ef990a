import { z } from 'zod';

/*
 * The stale cleanup's part of the mappings contract (issue 11; the preview with its candidates is in
 * mappings.ts, beside MappingView): a preview with a plan in plain words
 * that the user confirms, a run with batched progress, and a summary grouped by outcome and reason.
 * Every mapping that was not selected is present afterwards or listed as not restored, with what its
 * device must do.
 */

/** What a router allowed when PortPilot tried: learnt once per router (identity + RouterOS version). */
export type Answer = 'allowed' | 'refused' | 'unknown';

export interface LearnedCapabilities {
  /** Removing a dynamic UPnP / NAT-PMP rule (or the guide's /ip upnp mappings item) through the API. */
  dynamicRemove: Answer;
  /** IGD DeletePortMapping from this computer of another device's mapping. */
  foreignDelete: Answer;
  /** IGD AddPortMapping from this computer on behalf of another device (restoring its mapping). */
  foreignAdd: Answer;
}

/** Least disruptive first: the plan picks the first one this router allows. */
export const CLEANUP_STRATEGIES = ['api-remove', 'igd-delete', 'flush-and-restore'] as const;
export type CleanupStrategy = (typeof CLEANUP_STRATEGIES)[number];
export type PlanStrategy = CleanupStrategy | 'none';

/** A device and how many of its mappings something applies to. */
export interface PlanDevice {
  address: string;
  hostName: string | null;
  count: number;
}

export interface NatPmpNote {
  id: string;
  internalAddress: string;
  hostName: string | null;
  /** For people: when it expires (NAT-PMP mappings carry a lifetime, RFC 6886 §3.3). */
  expires: string;
}

export interface CleanupPlan {
  /** The most disruptive strategy this plan may use: what the user confirms. */
  strategy: PlanStrategy;
  /** Tried first because this router's answer is not known yet (a refused request changes nothing). */
  tryFirst: CleanupStrategy[];
  /** What will happen, in plain words, in order. */
  sentences: string[];
  selected: number;
  /** UPnP mappings a restart drops; 0 when no restart is planned. */
  drops: number;
  /** Mappings not selected that PortPilot restores at once after the restart. */
  restore: number;
  /** Mappings not selected that cannot be restored (the router refuses it), by device. */
  lose: PlanDevice[];
  loseCount: number;
  /** The confirmation must include accepting `lose`. */
  needsAcceptLoss: boolean;
  /** Selected NAT-PMP mappings this router does not let PortPilot remove (they expire by themselves). */
  leftToExpire: number;
  /** NAT-PMP mappings a UPnP restart does not touch, with when each expires. */
  natPmpUntouched: NatPmpNote[];
  learned: LearnedCapabilities;
  /** PortPilot can reach the router's UPnP IGD from this computer (needed to delete and restore). */
  igd: boolean;
}

export type CleanupPhase = 'waiting' | 'checking' | 'removing' | 'restarting' | 'restoring' | 'verifying' | 'done';

export interface CleanupProgress {
  runId: string;
  phase: CleanupPhase;
  done: number;
  total: number;
  message: string | null;
}

interface OutcomeBase {
  id: string;
  internalAddress: string;
  hostName: string | null;
  description: string;
  /**
   * Index into the summary's `groups`, which hold the reason (and what to do) once for all its
   * mappings: 8,000 copies of one sentence made the summary megabytes long (issue 11, "Scale").
   */
  group: number;
}

export interface TargetOutcome extends OutcomeBase {
  result: 'removed' | 'skipped' | 'failed';
  how: CleanupStrategy | null;
}

export interface KeptOutcome extends OutcomeBase {
  /** restored: PortPilot added it again; back: present again without PortPilot (its device re-mapped it). */
  result: 'restored' | 'back' | 'not-restored';
}

export type OutcomeKind = TargetOutcome['result'] | KeptOutcome['result'];

export interface OutcomeGroup {
  outcome: OutcomeKind;
  /** For people: why. */
  reason: string;
  count: number;
  ids: string[];
  /** What the owners of these mappings must do (mappings that were not restored). */
  action: string | null;
}

export interface CleanupSummary {
  runId: string;
  /** The most disruptive strategy that was used. */
  strategy: PlanStrategy;
  removed: number;
  skipped: number;
  failed: number;
  restored: number;
  back: number;
  notRestored: number;
  targets: TargetOutcome[];
  /** The mappings that were not selected and went through a restart (empty when there was none). */
  kept: KeptOutcome[];
  /** Outcomes grouped by kind and reason, largest first. */
  groups: OutcomeGroup[];
  learned: LearnedCapabilities;
  durationMs: number;
}

/** The reason of one outcome (its group's). */
export const reasonOf = (summary: Pick<CleanupSummary, 'groups'>, outcome: { group: number }): string =>
  summary.groups[outcome.group]?.reason ?? '';

export const mappingIdSchema = z
  .string()
  .regex(/^(tcp|udp)\/\d{1,5}$/, 'must be a mapping id like tcp/6881')
  .max(12);
export const mappingIdsSchema = z.array(mappingIdSchema).max(20_000);

export const previewInputSchema = z.object({ only: mappingIdSchema.optional() }).strict().optional();
export const planInputSchema = z.object({ previewId: z.string().min(1).max(64), ids: mappingIdsSchema }).strict();
export const confirmSchema = z
  .object({ strategy: z.enum(['none', ...CLEANUP_STRATEGIES]), acceptLoss: z.boolean() })
  .strict();
export const runInputSchema = z
  .object({ previewId: z.string().min(1).max(64), ids: mappingIdsSchema, confirm: confirmSchema })
  .strict();
export type CleanupConfirm = z.infer<typeof confirmSchema>;
