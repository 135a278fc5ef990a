import os from 'node:os';
import type { DomainService, EventSink } from '../../../shared/contract/define';
import { ContractError } from '../../../shared/contract/result';
import {
  selfTestStepsFor,
  type AdapterView,
  type selftestDomain,
  type SelfTestOptionsInput,
  type SelfTestReport,
} from '../../../shared/domains/selftest';
import type { DemoEndpoints, RouterLink } from '../../core/router-link';
import type { RouterPort } from '../../core/router-port';
import { discoveryAdapters, listAdapters } from '../../igd-client/adapters';
import { runSelfTest, type SelfTestOptions, type SelfTestPorts } from '../../selftest/engine';
import { realSelfTestPorts } from '../../selftest/real-ports';
import { STEP_TITLES } from '../../selftest/recorder';
import type { StunServerAddress } from '../../stun/server-address';

export interface SelfTestServiceDeps {
  emit: EventSink<typeof selftestDomain>;
  /** The connected router: the verify-on-router steps, and the demo router's own IGD/NAT-PMP endpoints. */
  router: () => RouterLink | null;
  /** Tests inject fakes; the app uses real sockets. */
  makePorts?: (router: RouterPort | null) => SelfTestPorts;
  /** The STUN server the user agreed to contact (the nat service), for the `inbound` step. */
  stunServer?: () => Promise<StunServerAddress | null>;
  now?: () => number;
  log?: (line: string) => void;
  /** Tests: a recorded os.networkInterfaces() instead of this machine's. */
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

export interface SelfTestService extends DomainService<typeof selftestDomain> {
  /** Resolves once a running test has finished (and cleaned up its test mapping). */
  dispose(): Promise<void>;
}

/** The user's options, completed with the connected router's address (its LAN address on this PC's
 *  subnet is the NAT-PMP gateway and the IGD host, issue 15) and the demo router's endpoints (its IGD
 *  and NAT-PMP listen on random loopback ports that SSDP multicast cannot find). */
export function resolveOptions(
  input: SelfTestOptionsInput | undefined,
  demo: DemoEndpoints | null,
  routerHost?: string,
): SelfTestOptions {
  const { inbound: _inbound, ...rest } = input ?? {};
  const opts: SelfTestOptions = { ...rest };
  if (routerHost) opts.routerHost = routerHost;
  if (!demo) return opts;
  if (!opts.gatewayUrl) {
    opts.gatewayUrl = demo.rootDescriptionUrl;
    opts.gatewayUrlFrom = 'demo';
  }
  if (!opts.natPmpGateway) {
    opts.natPmpGateway = demo.natPmp.host;
    opts.natPmpPort = demo.natPmp.port;
  }
  return opts;
}

/** This PC's adapters that could reach a LAN (no loopback, no link-local), one per name and address. */
export function adapterViews(ifaces: NodeJS.Dict<os.NetworkInterfaceInfo[]>): AdapterView[] {
  const all = listAdapters(ifaces).filter((a) => !a.internal && a.addressClass !== 'link-local');
  const searched = new Set(discoveryAdapters(all).use);
  return all.map((a) => ({
    name: a.name,
    address: `${a.address}/${a.prefixLength}`,
    kind: a.kind,
    why: a.why,
    searchedByDefault: searched.has(a),
  }));
}

function pendingReport(runId: string, startedAt: string, inbound: boolean): SelfTestReport {
  return {
    runId,
    ok: false,
    running: true,
    startedAt,
    finishedAt: null,
    steps: selfTestStepsFor({ inbound }).map((id) => ({
      id,
      title: STEP_TITLES[id],
      status: 'pending',
      detail: '',
      evidence: [],
    })),
    findings: [],
    text: '',
  };
}

/** The `inbound` step contacts a third party: only a server the user agreed to. */
async function consentedServer(deps: SelfTestServiceDeps): Promise<StunServerAddress> {
  const server = (await deps.stunServer?.()) ?? null;
  if (!server)
    throw new ContractError(
      'no-consent',
      'Proving inbound traffic asks a STUN server on the Internet, and PortPilot has not been allowed to contact one: agree to it (Troubleshooter or Settings › NAT type), then start the test again.',
    );
  return server;
}

export function createSelfTestService(deps: SelfTestServiceDeps): SelfTestService {
  const now = deps.now ?? Date.now;
  const makePorts = deps.makePorts ?? ((router) => realSelfTestPorts({ router }));
  let current: SelfTestReport | null = null;
  let running: Promise<void> | null = null;
  let abort: AbortController | null = null;
  let seq = 0;

  function launch(opts: SelfTestOptions, runId: string): Promise<void> {
    const report = pendingReport(runId, new Date(now()).toISOString(), opts.stun !== undefined);
    current = report;
    const ports = makePorts(deps.router());
    abort = new AbortController();
    return runSelfTest(
      ports,
      { ...opts, runId, signal: abort.signal },
      {
        onStep: (step) => {
          report.steps = report.steps.map((s) => (s.id === step.id ? step : s));
          deps.emit('step', { runId, step });
        },
        onFinding: (f) => {
          report.findings = [...report.findings.filter((x) => x.id !== f.id), f];
        },
      },
    ).then(
      (final) => {
        current = final;
        deps.emit('finished', final);
      },
      (err: unknown) => {
        // runSelfTest turns step errors into data; reaching here is a bug: still end the run visibly.
        deps.log?.(`selftest ${runId} crashed: ${String(err)}`);
        current = {
          ...report,
          running: false,
          finishedAt: new Date(now()).toISOString(),
          text: `Self-test crashed: ${String(err)}\n`,
        };
        deps.emit('finished', current);
      },
    );
  }

  return {
    start: async (input) => {
      if (running) throw new ContractError('busy', 'A self-test is already running: wait for it to finish.');
      const stun = input?.inbound ? await consentedServer(deps) : undefined;
      if (running) throw new ContractError('busy', 'A self-test is already running: wait for it to finish.');
      const runId = `${now().toString(36)}-${++seq}`;
      const link = deps.router();
      const opts = resolveOptions(input, link?.endpoints ?? null, link?.host);
      if (stun) opts.stun = stun;
      running = launch(opts, runId).finally(() => {
        running = null;
        abort = null;
      });
      return { runId };
    },
    cancel: async () => {
      if (!abort) return false;
      abort.abort();
      return true;
    },
    last: async () => current,
    adapters: async () => adapterViews((deps.networkInterfaces ?? os.networkInterfaces)()),
    dispose: async () => {
      abort?.abort();
      await running;
    },
  };
}
