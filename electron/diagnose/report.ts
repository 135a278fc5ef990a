/** Plain-text reports to copy into a forum post or a support ticket. */
import type { Diagnosis, Finding, Symptom } from '../../shared/domains/diagnose';

/** A finding as the reports need it (the service's views and the CLI's plans both fit). */
export type ReportFinding = Pick<Finding, 'id' | 'title' | 'status' | 'evidence' | 'explanation' | 'severity'> & {
  fix: { title: string; steps: readonly unknown[] } | null;
};
import { SYMPTOM_LABELS } from '../../shared/domains/diagnose';

const MARK: Record<Finding['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: '????' };

function findingLines(f: ReportFinding): string[] {
  const lines = [`[${MARK[f.status]}] ${f.id} — ${f.title}`];
  for (const e of f.evidence) lines.push(`       ${e}`);
  if (f.status !== 'pass') lines.push(`       → ${f.explanation}`);
  if (f.fix && f.status !== 'pass') lines.push(`       fix offered: ${f.fix.title} (${f.fix.steps.length} step(s))`);
  return lines;
}

export function diagnosisText(
  d: Pick<Diagnosis, 'symptom' | 'device' | 'prediction' | 'finishedAt'> & { findings: ReportFinding[] },
  router: string,
): string {
  const who = d.device
    ? `${d.device.hostName || d.device.address} (${d.device.address}${d.device.vendor ? `, ${d.device.vendor}` : ''})`
    : 'no device chosen';
  const lines = [
    `PortPilot troubleshooter — ${SYMPTOM_LABELS[d.symptom as Symptom]}`,
    `Router: ${router}`,
    `Device: ${who}`,
    `Run: ${d.finishedAt}`,
    '',
  ];
  for (const f of d.findings) lines.push(...findingLines(f));
  if (d.prediction) {
    lines.push('', `Predicted NAT type: ${d.prediction.label} (${d.prediction.level})`);
    for (const r of d.prediction.reasons) lines.push(`  - ${r}`);
  }
  return lines.join('\n');
}

export function auditText(
  a: { findings: ReportFinding[]; score: number; reasons: Array<{ reason: string }>; upnpEnabled: boolean },
  router: string,
): string {
  const lines = [`PortPilot security audit — ${router}`, `Score: ${a.score}/100`];
  if (!a.upnpEnabled) lines.push('UPnP is off now: the findings describe its configuration for when it is turned on.');
  for (const r of a.reasons) lines.push(`  ${r.reason}`);
  lines.push('');
  for (const f of a.findings)
    lines.push(...findingLines(f).map((l, i) => (i === 0 && f.severity ? `${l} [${f.severity}]` : l)));
  return lines.join('\n');
}
