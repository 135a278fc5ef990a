/**
 * The change-plan vocabulary shared by every part of PortPilot that changes a router (configuration
 * screens, setup wizard, troubleshooter fixes). Plans are plain data so they can be shown,
 * saved as a RouterOS script, sent over IPC and written to the apply journal. What crosses the wire
 * (the report, the progress events, a step as people see it) is declared once, in the config contract.
 */
import type { PlanView, StepView } from '../../shared/domains/config';

export type {
  ApplyOutcome,
  ApplyReport,
  ProgressEvent,
  ProgressPhase,
  StepReport,
  StepResult,
} from '../../shared/domains/config';

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

/** A plan step inside main: what people see (the contract's StepView) plus the operation to send. */
export interface Step extends StepView {
  op: StepOp;
}

/** A plan inside main: its steps carry their operations; the `.rsc` script is rendered on demand. */
export interface Plan extends Omit<PlanView, 'steps' | 'script'> {
  steps: Step[];
}
