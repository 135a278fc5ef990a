/**
 * The diagnose domain: device list, troubleshooter runs (a `check` event before and after each check),
 * the security audit, and applying the fixes they offered. Fixes are change plans kept by id here and
 * applied through the plan engine (electron/plans) with `progress` events, rollback on failure and
 * the journal — the same path every other change takes.
 */
import { randomUUID } from 'node:crypto';
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import type { PlanView } from '../../../shared/domains/config';
import type { diagnoseDomain, Diagnosis, Finding } from '../../../shared/domains/diagnose';
import type { RouterLink } from '../../core/router-link';
import { isConnectionError } from '../../core/router-port';
import { runAudit } from '../../diagnose/audit';
import { readContext } from '../../diagnose/context';
import { listDevices } from '../../diagnose/devices';
import { runDiagnosis } from '../../diagnose/engine';
import { auditText, diagnosisText } from '../../diagnose/report';
import type { CheckResult } from '../../diagnose/types';
import { IgdClient } from '../../igd-client';
import type { Plan } from '../../plans';
import type { ChangeApplier } from '../change-applier';
import { requireRouter } from '../require-router';

export interface DiagnoseServiceDeps {
  router: () => RouterLink | null;
  emit: EventSink<typeof diagnoseDomain>;
  /** Fixes are kept and applied here: the same journal and per-router lock as configuration changes. */
  changes: ChangeApplier;
  /** The IGD's root description URL when known (the embedded demo router's, or one the user found). */
  gatewayUrl?: () => string | null;
  /** Asks the IGD for its external address; tests inject a fake. */
  externalIp?: (url: string) => Promise<string>;
  now?: () => Date;
}

export type DiagnoseService = DomainService<typeof diagnoseDomain>;

async function igdExternalIp(url: string): Promise<string> {
  const client = await IgdClient.fromLocation(url, { timeoutMs: 3000 });
  return client.getExternalIPAddress();
}

/** Router and connection errors as contract errors (a run never fails with a bare message). */
async function guarded<T>(fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    if (err instanceof ContractError) throw err;
    if (isConnectionError(err)) throw new ContractError('not-connected', `Lost the router: ${err.message}`);
    throw new ContractError('router-error', err instanceof Error ? err.message : String(err));
  }
}

/** One check run or audit at a time: both read the whole configuration and emit events. */
class RunLock {
  private busy = false;
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.busy) throw new ContractError('busy', 'A check run or an audit is in progress; wait for it to finish.');
    this.busy = true;
    try {
      return await guarded(fn);
    } finally {
      this.busy = false;
    }
  }
}

/** A check's result as the contract's Finding; its fix (a plan) is kept for apply by id. */
const findingView =
  (keep: (plan: Plan | null) => PlanView | null) =>
  (r: CheckResult): Finding => ({
    id: r.id,
    title: r.title,
    status: r.status,
    evidence: r.evidence,
    explanation: r.explanation,
    fix: keep(r.plan),
    ...(r.severity ? { severity: r.severity } : {}),
  });

/** Optional: a failing IGD lookup only means the double-NAT check uses the router's own view. */
async function externalAddress(deps: DiagnoseServiceDeps): Promise<string | undefined> {
  const url = deps.gatewayUrl?.();
  if (!url) return undefined;
  try {
    return await (deps.externalIp ?? igdExternalIp)(url);
  } catch {
    return undefined;
  }
}

export function createDiagnoseService(deps: DiagnoseServiceDeps): DiagnoseService {
  const now = deps.now ?? (() => new Date());
  const lock = new RunLock();
  const live = () => requireRouter(deps.router);
  const keep = (plan: Plan | null) => (plan ? deps.changes.keep(plan) : null);
  const view = findingView(keep);

  return {
    devices: () => guarded(async () => listDevices(await readContext(live()))),
    run: ({ device, symptom }) =>
      lock.run(async () => {
        const router = live();
        const runId = randomUUID();
        const ip = await externalAddress(deps);
        const r = await runDiagnosis(router, {
          symptom,
          ...(device ? { device } : {}),
          ...(ip !== undefined ? { igdExternalIp: ip } : {}),
          onCheck: (index, total, check, finding) =>
            deps.emit('check', {
              runId,
              index,
              total,
              id: check.id,
              title: check.title,
              finding: finding ? view(finding) : null,
            }),
        });
        const d: Omit<Diagnosis, 'text'> = {
          runId,
          symptom,
          device: r.device,
          // keep() is idempotent per plan id: the events and the result name the same fixes.
          findings: r.findings.map(view),
          prediction: r.prediction,
          finishedAt: now().toISOString(),
        };
        return { ...d, text: diagnosisText(d, router.label) };
      }),
    audit: () =>
      lock.run(async () => {
        const router = live();
        const a = await runAudit(router);
        const findings = a.findings.map(view);
        const suggestions = a.suggestions.map(({ plan, ...s }) => ({ ...s, fix: keep(plan) }));
        const { score, reasons, upnpEnabled } = a;
        const text = auditText({ findings, score, reasons, upnpEnabled }, router.label);
        return { findings, score, reasons, suggestions, text };
      }),
    // Not under the run lock: the applier serialises changes per router (with the Configuration
    // screen's), and a fix may be applied while the user reads the findings.
    apply: ({ planId }) =>
      guarded(() =>
        deps.changes.apply(
          planId,
          (e) => deps.emit('progress', e),
          'This fix is no longer available: run the checks again.',
        ),
      ),
  };
}
