// Keeps the steps and findings of one run and streams every change to the listener.
import {
  selfTestStepsFor,
  type SelfTestFinding,
  type SelfTestStatus,
  type SelfTestStep,
  type SelfTestStepId,
} from '../../shared/domains/selftest';
import type { SelfTestListener } from './ports';

export const STEP_TITLES: Record<SelfTestStepId, string> = {
  discover: 'Discover the gateway',
  description: 'Read its description',
  'external-ip': 'External IP address',
  'igd-add': 'Add a test mapping (UPnP)',
  'igd-verify-router': 'See it on the router',
  'igd-list': 'List it through UPnP',
  'igd-delete': 'Delete it (UPnP)',
  'igd-verify-gone': 'Check it is gone',
  'natpmp-map': 'Map a port (NAT-PMP)',
  'natpmp-verify-router': 'See the NAT-PMP mapping on the router',
  'natpmp-unmap': 'Unmap it (NAT-PMP)',
  'natpmp-verify-gone': 'Check the NAT-PMP mapping is gone',
  inbound: 'Reach this PC from the Internet (STUN)',
  cleanup: 'Clean up',
};

export interface StepOutcome {
  status: SelfTestStatus;
  detail: string;
  evidence?: string[];
  next?: string;
}

/** An error's words for people, with the UPnP / NAT-PMP explanation when the client gave one. */
export function describeError(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export class Recorder {
  readonly steps: SelfTestStep[];
  readonly findings: SelfTestFinding[] = [];

  constructor(
    private readonly listener: SelfTestListener,
    private readonly now: () => number,
    ids: SelfTestStepId[] = selfTestStepsFor(),
  ) {
    this.steps = ids.map((id) => ({ id, title: STEP_TITLES[id], status: 'pending', detail: '', evidence: [] }));
  }

  step(id: SelfTestStepId): SelfTestStep {
    const s = this.steps.find((x) => x.id === id);
    if (!s) throw new Error(`unknown step ${id}`);
    return s;
  }

  private emit(step: SelfTestStep): void {
    this.listener.onStep?.({ ...step, evidence: [...step.evidence] });
  }

  /** Runs one step: streams "running", then its outcome; a throw is a failure with the error's words. */
  async run(id: SelfTestStepId, fn: (evidence: string[]) => Promise<StepOutcome>): Promise<StepOutcome> {
    const step = this.step(id);
    const t0 = this.now();
    const evidence: string[] = [];
    Object.assign(step, { status: 'running', detail: '', evidence });
    this.emit(step);
    let outcome: StepOutcome;
    try {
      outcome = await fn(evidence);
    } catch (e) {
      outcome = { status: 'fail', detail: describeError(e) };
    }
    this.finish(step, outcome, evidence, this.now() - t0);
    return outcome;
  }

  skip(id: SelfTestStepId, detail: string, next?: string): StepOutcome {
    const outcome: StepOutcome = { status: 'skip', detail, next };
    this.finish(this.step(id), outcome, [], 0);
    return outcome;
  }

  private finish(step: SelfTestStep, o: StepOutcome, evidence: string[], ms: number): void {
    step.status = o.status;
    step.detail = o.detail;
    step.evidence = [...evidence, ...(o.evidence ?? [])];
    step.ms = ms;
    if (o.next) step.next = o.next;
    else delete step.next;
    this.emit(step);
  }

  /** Adds a finding; a second one with the same id adds its evidence to the first (one double-nat). */
  finding(f: SelfTestFinding): void {
    const known = this.findings.find((x) => x.id === f.id);
    if (known) {
      for (const e of f.evidence) if (!known.evidence.includes(e)) known.evidence.push(e);
      if (f.severity === 'error') known.severity = 'error';
      this.listener.onFinding?.(known);
      return;
    }
    this.findings.push(f);
    this.listener.onFinding?.(f);
  }

  /** Every required step passed: no step failed and no error finding (double NAT included). */
  get ok(): boolean {
    return !this.steps.some((s) => s.status === 'fail') && !this.findings.some((f) => f.severity === 'error');
  }
}
