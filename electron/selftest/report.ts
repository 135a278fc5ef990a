// The plain-text report behind "Copy report" and the CLI's human output.
import type { SelfTestReport, SelfTestStep } from '../../shared/domains/selftest';

const MARK: Record<SelfTestStep['status'], string> = {
  pass: 'PASS',
  fail: 'FAIL',
  warn: 'WARN',
  skip: 'SKIP',
  running: '....',
  pending: '    ',
};

export function formatStep(s: SelfTestStep): string[] {
  const lines = [`[${MARK[s.status]}] ${s.title}: ${s.detail}`];
  for (const e of s.evidence) lines.push(`       · ${e}`);
  if (s.next && s.status !== 'pass') lines.push(`       → ${s.next}`);
  return lines;
}

export function formatReport(r: SelfTestReport): string {
  const lines = [
    `PortPilot — Test from this PC — ${r.cancelled ? 'STOPPED' : r.ok ? 'PASSED' : 'FAILED'}`,
    `run ${r.runId}, started ${r.startedAt}${r.finishedAt ? `, finished ${r.finishedAt}` : ''}`,
    '',
    ...r.steps.flatMap(formatStep),
  ];
  if (r.findings.length) {
    lines.push('', 'Findings:');
    for (const f of r.findings) {
      lines.push(`[${f.severity.toUpperCase()}] ${f.id}: ${f.title}`, `       ${f.detail}`);
      for (const e of f.evidence) lines.push(`       · ${e}`);
    }
  }
  return lines.join('\n') + '\n';
}
