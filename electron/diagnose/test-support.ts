/** Helpers for troubleshooter tests: run a diagnosis, apply every offered fix, run again. */
import type { RouterPort } from '../core/router-port';
import { applyPlan } from '../plans';
import type { Symptom } from '../../shared/domains/diagnose';
import { runDiagnosis, type DiagnosisResult } from './engine';

export const statusOf = (r: DiagnosisResult) => Object.fromEntries(r.findings.map((f) => [f.id, f.status]));
export const failingIds = (r: DiagnosisResult) => r.findings.filter((f) => f.status === 'fail').map((f) => f.id);

/** Applies each offered fix in turn (re-diagnosing between, as the screen's "Run again" does). */
export async function fixEverything(
  router: RouterPort,
  device: string,
  symptom: Symptom,
  rounds = 6,
): Promise<{ before: DiagnosisResult; after: DiagnosisResult; applied: string[] }> {
  const before = await runDiagnosis(router, { device, symptom });
  const applied: string[] = [];
  let current = before;
  for (let i = 0; i < rounds; i++) {
    const next = current.findings.find((f) => f.plan && f.status !== 'pass');
    if (!next?.plan) break;
    const report = await applyPlan(router, next.plan);
    if (report.outcome !== 'applied' && report.outcome !== 'nothing-to-do')
      throw new Error(`fix for ${next.id} ended ${report.outcome}: ${report.failure?.message ?? ''}`);
    applied.push(next.id);
    current = await runDiagnosis(router, { device, symptom });
  }
  return { before, after: current, applied };
}
