import type { Plan } from '../plans/types';
import type { AuditId, CheckId, CheckStatus, DiagnoseDevice, Finding, Symptom } from '../../shared/domains/diagnose';
import type { DiagnoseContext } from './context';

/** A check's result inside main: the contract's Finding, its fix a real change plan (electron/plans), not a view. */
export interface CheckResult<Id extends string = CheckId | AuditId> extends Omit<Finding, 'id' | 'fix'> {
  id: Id;
  plan: Plan | null;
}

export interface CheckInput {
  ctx: DiagnoseContext;
  device: DiagnoseDevice | null;
  symptom: Symptom;
}

export interface Check {
  id: CheckId;
  title: string;
  /** Needs a chosen device (skipped without one). */
  needsDevice: boolean;
  run(input: CheckInput): CheckResult;
}

export const result = <Id extends string>(
  id: Id,
  title: string,
  status: CheckStatus,
  evidence: string[],
  explanation: string,
  plan: Plan | null = null,
): CheckResult<Id> => ({ id, title, status, evidence, explanation, plan: plan && plan.steps.length ? plan : null });
