/** Plain-text reports to copy into a forum post or a support ticket. */
import type { DiagnoseDevice, Diagnosis, Finding, Symptom } from '../../shared/domains/diagnose';

/** A finding as the reports need it (the service's views and the CLI's plans both fit). */
export type ReportFinding = Pick<Finding, 'id' | 'title' | 'status' | 'evidence' | 'explanation' | 'severity'> & {
  fix: { title: string; steps: readonly unknown[] } | null;
};
import { SYMPTOM_LABELS } from '../../shared/domains/diagnose';
import { natTypeLine } from '../../shared/nat-type';
import { plural } from '../../shared/words';

const MARK: Record<Finding['status'], string> = { pass: 'PASS', warn: 'WARN', fail: 'FAIL', unknown: '????' };

function findingLines(f: ReportFinding): string[] {
  // The title says what was checked; the check's id is for support only and comes last (issue 13: an
  // id beside a result, "upnp-disabled · OK", read as a contradiction).
  const lines = [`[${MARK[f.status]}] ${f.title}`];
  for (const e of f.evidence) lines.push(`       ${e}`);
  if (f.status !== 'pass') lines.push(`       → ${f.explanation}`);
  if (f.fix && f.status !== 'pass')
    lines.push(`       fix offered: ${f.fix.title} (${plural(f.fix.steps.length, 'change')})`);
  lines.push(`       check id, for support: ${f.id}`);
  return lines;
}

const named = (d: DiagnoseDevice): string =>
  `${d.hostName || d.address} (${d.address}${d.vendor ? `, ${d.vendor}` : ''})`;

/** Who the device checks were about: the chosen device, or which consoles were examined instead. */
export function examinedLine(d: Pick<Diagnosis, 'device' | 'examined'>): string {
  if (d.device) return named(d.device);
  if (d.examined.length === 0)
    return 'none chosen, and PortPilot recognises no console on the network: only router-wide checks ran';
  return `none chosen: examined every console PortPilot recognises: ${d.examined.map(named).join(', ')}`;
}

function predictionLines(d: Pick<Diagnosis, 'device' | 'examined' | 'predictions'>): string[] {
  const lines: string[] = [];
  for (const p of d.predictions) {
    const who = d.device ? '' : ` for ${d.examined.find((x) => x.address === p.device)?.hostName || p.device}`;
    lines.push('', `Predicted NAT type${who}: ${natTypeLine(p.platform, p.level)}`);
    for (const r of p.reasons) lines.push(`  - ${r}`);
  }
  return lines;
}

export function diagnosisText(
  d: Pick<Diagnosis, 'symptom' | 'device' | 'examined' | 'predictions' | 'finishedAt'> & {
    findings: ReportFinding[];
  },
  router: string,
): string {
  const lines = [
    `PortPilot troubleshooter — ${SYMPTOM_LABELS[d.symptom as Symptom]}`,
    `Router: ${router}`,
    `Device: ${examinedLine(d)}`,
    `Run: ${d.finishedAt}`,
    '',
  ];
  for (const f of d.findings) lines.push(...findingLines(f));
  lines.push(...predictionLines(d));
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
