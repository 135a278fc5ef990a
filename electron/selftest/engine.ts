// The self-test of "Test from this PC" (issue 6): every step streams live through the listener, and
// the test mapping is always cleaned up, even after a failure or an unexpected error.
import { selfTestStepsFor, type SelfTestReport } from '../../shared/domains/selftest';
import type { RunContext } from './context';
import { describeStep, discoverStep, externalIpStep } from './gateway-steps';
import { igdAddStep } from './igd-add';
import { igdDeleteStep, igdListStep, igdVerifyGoneStep, igdVerifyRouterStep, verifyOnRouter } from './igd-steps';
import { inboundStep, removeInbound } from './inbound-step';
import { natPmpSteps } from './natpmp-steps';
import type { SelfTestListener, SelfTestOptions, SelfTestPorts } from './ports';
import { describeError, Recorder } from './recorder';
import { formatReport } from './report';

export { formatReport } from './report';
export type { SelfTestListener, SelfTestOptions, SelfTestPorts } from './ports';

/** Deletes what the run left behind: the UPnP test mapping and the NAT-PMP one. */
async function cleanup(c: RunContext): Promise<void> {
  const m = c.igdMapping;
  const n = c.natMapping;
  const leftIgd = m && !m.deleted && c.igd;
  const leftNat = n && !n.unmapped && c.natClient;
  const leftInbound = (c.inboundMappings ?? []).filter((x) => !x.removed);
  if (!leftIgd && !leftNat && leftInbound.length === 0) {
    await c.rec.run('cleanup', async () => ({
      status: 'pass',
      detail: 'nothing left behind: every test mapping was removed by its own step',
    }));
    return;
  }
  await c.rec.run('cleanup', async (evidence) => {
    const problems: string[] = [];
    if (m && leftIgd) {
      await c.igd?.deletePortMapping(m.port, 'TCP').then(
        () => ((m.deleted = true), evidence.push(`deleted the leftover UPnP test mapping TCP ${m.port}`)),
        (e: unknown) => problems.push(`UPnP TCP ${m.port}: ${describeError(e)}`),
      );
      const q = { source: 'upnp' as const, externalPort: m.port, internalPort: m.port, localIp: c.localIp ?? '' };
      if (m.deleted && (await verifyOnRouter(c, q, []).catch(() => false)))
        problems.push(`the router still holds TCP ${m.port}`);
    }
    if (n && leftNat) {
      await c.natClient?.unmap({ protocol: 'tcp', internalPort: n.internalPort }).then(
        () => ((n.unmapped = true), evidence.push(`unmapped the leftover NAT-PMP test mapping TCP ${n.externalPort}`)),
        (e: unknown) => problems.push(`NAT-PMP TCP ${n.externalPort}: ${describeError(e)}`),
      );
    }
    for (const x of leftInbound) {
      const lines: string[] = [];
      if (!(await removeInbound(c, x, lines))) problems.push(...lines);
      else evidence.push(...lines.map((l) => l.replace('removed the', 'removed the leftover')));
    }
    if (problems.length === 0)
      return { status: 'pass', detail: 'removed the test mapping a failed or stopped step left behind' };
    const next = `Remove it by hand: /ip firewall nat remove [find dynamic=yes comment~"${c.description}"], or restart UPnP on the router (disable/enable).`;
    c.rec.finding({
      id: 'cleanup-failed',
      severity: 'error',
      title: 'A test mapping may be left on the router',
      detail: next,
      evidence: problems,
    });
    return { status: 'fail', detail: problems.join('; '), next };
  });
}

function newRunId(ports: SelfTestPorts): string {
  return `${ports.now().toString(36)}${ports.random(36 ** 4).toString(36)}`;
}

export async function runSelfTest(
  ports: SelfTestPorts,
  opts: SelfTestOptions = {},
  listener: SelfTestListener = {},
): Promise<SelfTestReport> {
  const runId = opts.runId ?? newRunId(ports);
  const startedAt = new Date(ports.now()).toISOString();
  const rec = new Recorder(listener, () => ports.now(), selfTestStepsFor({ inbound: opts.stun !== undefined }));
  const c: RunContext = { ports, opts, rec, runId, description: `PortPilot self-test ${runId}` };
  const phases = [
    discoverStep,
    describeStep,
    externalIpStep,
    igdAddStep,
    igdVerifyRouterStep,
    igdListStep,
    igdDeleteStep,
    igdVerifyGoneStep,
    natPmpSteps,
    inboundStep,
  ];
  try {
    for (const phase of phases) {
      // Stopping (Ctrl-C, the Stop button) ends between steps, never mid-request, and still cleans up.
      if (opts.signal?.aborted) break;
      await phase(c);
    }
  } catch (e) {
    // A bug or a port that threw outside a step: show it on the step that was running, then clean up.
    const running = rec.steps.find((s) => s.status === 'running');
    if (running) Object.assign(running, { status: 'fail', detail: describeError(e) });
  } finally {
    await cleanup(c);
  }
  const cancelled = opts.signal?.aborted === true;
  const why = cancelled ? 'skipped: stopped by the user' : 'skipped: the test stopped early';
  for (const s of rec.steps) if (s.status === 'pending') rec.skip(s.id, why);
  const report: SelfTestReport = {
    runId,
    ok: rec.ok && !cancelled,
    cancelled,
    running: false,
    startedAt,
    finishedAt: new Date(ports.now()).toISOString(),
    steps: rec.steps,
    findings: rec.findings,
    text: '',
  };
  report.text = formatReport(report);
  return report;
}
