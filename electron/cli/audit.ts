/**
 * `audit --router HOST[:PORT] --user U [--json]`: the security audit of the UPnP setup. `--json` prints
 * `{ findings: [{ id, status, severity, evidence, fix }], score, reasons, suggestions }`. Exit 0 when
 * no finding fails, 1 otherwise (or the router could not be reached), 2 bad arguments.
 */
import { runAudit } from '../diagnose/audit';
import { auditText } from '../diagnose/report';
import { commandLine, EXIT, type CliCommand } from './command';
import { parseRouterArgs, TIMEOUT_USAGE, withRouter } from './router-args';

const USAGE = `Usage: npm run cli -- audit --router HOST[:PORT] --user USER [--json]
  --json                 machine-readable output (findings, score 0-100, the reasons for every point lost)
  --transport api|api-ssl  (default api; API-SSL pins --fingerprint SHA256 or "anonymous")
${TIMEOUT_USAGE}
The password is read from the PORTPILOT_PASSWORD environment variable (empty if unset).
Exit codes: 0 no finding fails, 1 a finding fails or the router could not be reached, 2 bad arguments.`;

export const auditCommand: CliCommand = {
  name: 'audit',
  summary: 'security audit of the UPnP setup with a 0-100 score and mitigations',
  usage: USAGE,
  async run(argv, io) {
    const line = commandLine(argv, io, USAGE, (a) => parseRouterArgs(a, {}).base);
    if ('exit' in line) return line.exit;
    const args = line.args;
    return withRouter(args, io, USAGE, async (router) => {
      const a = await runAudit(router);
      const failed = a.findings.some((f) => f.status === 'fail');
      if (args.json) {
        io.out(
          JSON.stringify(
            {
              findings: a.findings.map((f) => ({
                id: f.id,
                status: f.status,
                severity: f.severity,
                evidence: f.evidence,
                fix: f.plan !== null,
              })),
              score: a.score,
              reasons: a.reasons,
              suggestions: a.suggestions.map(({ plan, ...s }) => ({ ...s, fix: plan !== null })),
            },
            null,
            2,
          ),
        );
      } else {
        const findings = a.findings.map((f) => ({
          ...f,
          fix: f.plan ? { title: f.plan.title, steps: f.plan.steps } : null,
        }));
        io.out(auditText({ findings, score: a.score, reasons: a.reasons, upnpEnabled: a.upnpEnabled }, args.router));
        for (const s of a.suggestions) io.out(`\n* ${s.title}: ${s.advice}`);
      }
      return failed ? EXIT.failed : EXIT.ok;
    });
  },
};
