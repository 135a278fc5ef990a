/** The exact account of an apply or rollback, built from the journal (the one source of truth). */
import type { Journal, JournalStepStatus } from './journal';
import type { ApplyOutcome, ApplyReport, StepResult } from './types';

const RESULT: Record<JournalStepStatus, StepResult> = {
  pending: 'not-run',
  sending: 'unknown',
  applied: 'applied',
  'already-done': 'already-done',
  failed: 'failed',
  'rolled-back': 'rolled-back',
  'rollback-failed': 'rollback-failed',
};

export function reportOf(journal: Journal): ApplyReport {
  const { plan } = journal;
  const steps = plan.steps.map((step, i) => {
    const js = journal.steps[i];
    const result = js ? RESULT[js.status] : 'not-run';
    return {
      id: step.id,
      description: step.description,
      cli: step.cli,
      result,
      ...(js?.error ? { error: js.error } : {}),
    };
  });
  const ids = (...results: StepResult[]) => steps.filter((s) => results.includes(s.result)).map((s) => s.id);
  const failed = steps.find((s) => s.result === 'failed');
  const inFlight = steps.find((s) => s.result === 'unknown') ?? steps.find((s) => s.result === 'not-run');
  const report: ApplyReport = {
    planId: plan.id,
    title: plan.title,
    outcome: outcomeOf(
      journal,
      steps.map((s) => s.result),
    ),
    steps,
    applied: ids('applied', 'rolled-back', 'rollback-failed'),
    alreadyDone: ids('already-done'),
    rolledBack: ids('rolled-back'),
    notRolledBack: steps.filter((s) => s.result === 'rollback-failed').map((s) => ({ id: s.id, error: s.error ?? '' })),
  };
  if (failed) report.failure = { stepId: failed.id, message: failed.error ?? '' };
  if (journal.status === 'interrupted') {
    report.interrupted = { stepId: inFlight?.id ?? '', message: journal.message ?? 'connection lost' };
  }
  return report;
}

function outcomeOf(journal: Journal, results: StepResult[]): ApplyOutcome {
  switch (journal.status) {
    case 'interrupted':
    case 'applying':
      return 'interrupted';
    case 'rolled-back':
      return 'rolled-back';
    case 'rollback-incomplete':
      return 'rollback-incomplete';
    case 'completed':
      return results.every((r) => r === 'already-done') ? 'nothing-to-do' : 'applied';
  }
}
