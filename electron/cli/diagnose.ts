/**
 * `diagnose --router HOST[:PORT] --user U [--device IP] [--symptom nat-type-3|no-mappings|after-restart|voip]
 * [--gateway-url URL] [--json]`: the troubleshooter's checks against a live router. `--json` prints
 * `{ findings: [{ id, status, evidence, fix }], predictedNatType }`. Exit 0 when no check fails, 1
 * otherwise (or the router could not be reached), 2 bad arguments.
 */
import { symptoms, type Symptom } from '../../shared/domains/diagnose';
import { runDiagnosis } from '../diagnose/engine';
import { diagnosisText } from '../diagnose/report';
import { IgdClient } from '../igd-client';
import { commandLine, EXIT, UsageError, type CliCommand } from './command';
import { parseRouterArgs, TIMEOUT_USAGE, withRouter, type RouterArgs } from './router-args';
import { isIPv4 } from '../net/ipv4';

const USAGE = `Usage: npm run cli -- diagnose --router HOST[:PORT] --user USER [options]
  --device IP            the device to troubleshoot (a console, a VoIP phone…); without it only router-wide checks run
  --symptom S            nat-type-3 (default) | no-mappings | after-restart | voip
  --gateway-url URL      the IGD's root description URL, to compare its external address with the router's WAN
  --json                 machine-readable output
  --transport api|api-ssl  (default api; API-SSL pins --fingerprint SHA256 or "anonymous")
${TIMEOUT_USAGE}
The password is read from the PORTPILOT_PASSWORD environment variable (empty if unset).
Exit codes: 0 no check fails, 1 a check fails or the router could not be reached, 2 bad arguments.`;

interface DiagnoseArgs extends RouterArgs {
  device?: string;
  symptom: Symptom;
  gatewayUrl?: string;
}

export function parseDiagnoseArgs(argv: string[]): DiagnoseArgs {
  const { base, values } = parseRouterArgs(argv, {
    device: { type: 'string' },
    symptom: { type: 'string' },
    'gateway-url': { type: 'string' },
  });
  const device = values.device;
  if (device !== undefined && !isIPv4(device)) throw new UsageError(`--device: “${device}” is not an IPv4 address`);
  const symptom = values.symptom ?? 'nat-type-3';
  if (!(symptoms as readonly string[]).includes(symptom))
    throw new UsageError(`--symptom must be one of ${symptoms.join(', ')}`);
  const gatewayUrl = values['gateway-url'];
  return { ...base, symptom: symptom as Symptom, ...(device ? { device } : {}), ...(gatewayUrl ? { gatewayUrl } : {}) };
}

async function externalIp(url: string | undefined, warn: (t: string) => void): Promise<string | undefined> {
  if (!url) return undefined;
  try {
    return await (await IgdClient.fromLocation(url, { timeoutMs: 3000 })).getExternalIPAddress();
  } catch (err) {
    warn(
      `IGD at ${url} did not answer (${err instanceof Error ? err.message : String(err)}); using the router's own WAN address`,
    );
    return undefined;
  }
}

export const diagnoseCommand: CliCommand = {
  name: 'diagnose',
  summary: 'run the troubleshooter’s checks (NAT Type 3, no mappings…) and predict the NAT type',
  usage: USAGE,
  async run(argv, io) {
    const line = commandLine(argv, io, USAGE, parseDiagnoseArgs);
    if ('exit' in line) return line.exit;
    const a = line.args;
    return withRouter(a, io, USAGE, async (router) => {
      const ip = await externalIp(a.gatewayUrl, io.err);
      const r = await runDiagnosis(router, {
        symptom: a.symptom,
        ...(a.device ? { device: a.device } : {}),
        ...(ip !== undefined ? { igdExternalIp: ip } : {}),
      });
      const failed = r.findings.some((f) => f.status === 'fail');
      if (a.json) {
        io.out(
          JSON.stringify(
            {
              device: r.device,
              symptom: a.symptom,
              findings: r.findings.map((f) => ({
                id: f.id,
                status: f.status,
                evidence: f.evidence,
                fix: f.plan !== null,
              })),
              predictedNatType: r.prediction,
            },
            null,
            2,
          ),
        );
      } else {
        const findings = r.findings.map((f) => ({
          ...f,
          fix: f.plan ? { title: f.plan.title, steps: f.plan.steps } : null,
        }));
        io.out(
          diagnosisText(
            {
              symptom: a.symptom,
              device: r.device,
              findings,
              prediction: r.prediction,
              finishedAt: new Date().toISOString(),
            },
            a.router,
          ),
        );
        if (r.findings.some((f) => f.plan && f.status !== 'pass'))
          io.out('\nFixes are change plans: apply them in the app’s Troubleshooter (preview, progress, rollback).');
      }
      return failed ? EXIT.failed : EXIT.ok;
    });
  },
};
