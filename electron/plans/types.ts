/**
 * The change-plan vocabulary shared by every part of PortPilot that changes a router (configuration
 * screens, setup wizard, troubleshooter fixes, cleanup). Plans are plain data so they can be shown,
 * saved as a RouterOS script, sent over IPC and written to the apply journal.
 */

/** Which rows a step acts on: a row id, or every static row whose fields equal `match`. */
export interface Find {
  id?: string;
  match?: Record<string, string>;
}

/**
 * The RouterOS API operation of a step. `find: null` = a singleton menu (`/ip/upnp`). `before` = the
 * row to place a new or moved row in front of (RouterOS `place-before` / `move destination`); absent or
 * null = the end of the static rows.
 */
export type StepOp =
  | { verb: 'set'; menu: string; find: Find | null; attrs: Record<string, string> }
  | { verb: 'add'; menu: string; attrs: Record<string, string>; before?: Find; restores?: string }
  | { verb: 'remove'; menu: string; find: Find }
  | { verb: 'move'; menu: string; find: Find; before: Find | null };

export interface Step {
  /** Stable within a plan (e.g. `upnp-settings`, `perm-add-3`). */
  id: string;
  /** What the step does, in plain words. */
  description: string;
  /** The equivalent RouterOS CLI line (what the `.rsc` preview shows). */
  cli: string;
  op: StepOp;
  /**
   * Changing /ip/upnp or /ip/upnp/interfaces restarts the UPnP service and drops every dynamic
   * mapping (MikroTik manual, routeros-facts.md); the same holds for /ip/nat-pmp.
   */
  restartsUpnp: boolean;
  restartsNatPmp: boolean;
}

export interface Plan {
  id: string;
  title: string;
  steps: Step[];
  /** Live mappings the restarts would drop (0 when no step restarts the service). */
  flush: { upnp: number; natPmp: number };
  /** Things the user should read before applying (e.g. an internet-facing interface made internal). */
  warnings: string[];
}

export type StepResult =
  | 'applied'
  | 'already-done'
  | 'failed'
  | 'not-run'
  | 'rolled-back'
  | 'rollback-failed'
  /** The connection dropped while this step was being sent: unknown whether it took effect. */
  | 'unknown';

export interface StepReport {
  id: string;
  description: string;
  cli: string;
  result: StepResult;
  error?: string;
}

export type ApplyOutcome = 'applied' | 'nothing-to-do' | 'rolled-back' | 'rollback-incomplete' | 'interrupted';

export interface ApplyReport {
  planId: string;
  title: string;
  outcome: ApplyOutcome;
  steps: StepReport[];
  /** Step ids, in order. */
  applied: string[];
  alreadyDone: string[];
  rolledBack: string[];
  notRolledBack: Array<{ id: string; error: string }>;
  failure?: { stepId: string; message: string };
  /** Set when the connection dropped: the journal keeps what is needed to roll back or resume. */
  interrupted?: { stepId: string; message: string };
}

export type ProgressPhase =
  'checking' | 'applying' | 'applied' | 'skipped' | 'failed' | 'rolling-back' | 'rolled-back' | 'rollback-failed';

export interface ProgressEvent {
  planId: string;
  stepId: string;
  index: number;
  total: number;
  phase: ProgressPhase;
  message?: string;
}
