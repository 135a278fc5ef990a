// Steps 9–12 over NAT-PMP (RFC 6886): map, see it on the router, unmap, check it is gone.
import { NatPmpError, NatPmpResultError } from '../igd-client/errors';
import {
  DOUBLE_NAT_NEXT,
  NO_ROUTER_NEXT,
  NO_ROUTER_SKIP,
  noteDoubleNat,
  noteNoRouter,
  type RunContext,
} from './context';
import { verifyOnRouter } from './igd-steps';
import type { NatPmpPort } from './ports';
import type { StepOutcome } from './recorder';
import { explainDenied, routerNatPmp } from './router-checks';

const NATPMP_STEPS = ['natpmp-map', 'natpmp-verify-router', 'natpmp-unmap', 'natpmp-verify-gone'] as const;
/** RFC 6886 §3.3 recommends 7200 s; a test mapping needs minutes at most and expires by itself. */
const TEST_LIFETIME_SECONDS = 600;

function skipAll(c: RunContext, detail: string, next?: string): void {
  for (const id of NATPMP_STEPS) c.rec.skip(id, detail, next);
}

/** Whether to run NAT-PMP and whether a missing answer is a failure (the router says it is on, or
 *  the user named the gateway) or only means "not offered". */
async function natPmpPlan(c: RunContext): Promise<{ run: boolean; required: boolean; why?: string }> {
  if (c.opts.natPmp === false) return { run: false, required: false, why: 'skipped: NAT-PMP turned off for this run' };
  if (c.ports.router) {
    const state = await routerNatPmp(c.ports.router);
    if (state === 'absent')
      return { run: false, required: false, why: 'skipped: this RouterOS has no NAT-PMP (it arrived in 7.13)' };
    if (state === 'disabled')
      return { run: false, required: false, why: 'skipped: NAT-PMP is off on the router (/ip nat-pmp enabled=no)' };
    return { run: true, required: true };
  }
  return { run: true, required: c.opts.natPmpGateway !== undefined };
}

/** The NAT-PMP gateway and why it is that one: given, the connected router's LAN address, the IGD's
 *  host (the LAN side of the same router), else the OS default route (RFC 6886 §3). */
async function natPmpHost(c: RunContext): Promise<{ host: string; why: string }> {
  if (c.opts.natPmpGateway) return { host: c.opts.natPmpGateway, why: 'given' };
  const lan = c.lan?.routerLan;
  if (lan) return { host: lan.address, why: 'the connected router’s LAN address on this PC’s subnet' };
  const control = c.gateway?.description?.service.controlUrl;
  if (control) return { host: new URL(control).hostname, why: 'the UPnP gateway’s address' };
  const route = c.lan?.defaultRoute ?? (await c.ports.defaultRoute());
  return { host: route.gateway, why: `this PC’s default gateway (on "${route.iface}")` };
}

async function mapFailed(
  c: RunContext,
  e: unknown,
  port: { external: number; internal: number; localIp: string },
  required: boolean,
  evidence: string[],
): Promise<StepOutcome> {
  if (e instanceof NatPmpError && e.code === 'timeout') {
    evidence.push(e.message);
    return required
      ? {
          status: 'fail',
          detail: 'no NAT-PMP answer',
          next: 'Check /ip nat-pmp interfaces: this PC’s LAN must be internal and the WAN external.',
        }
      : {
          status: 'skip',
          detail: 'no NAT-PMP answer: NAT-PMP is not offered here',
          next: 'Turn NAT-PMP on (RouterOS 7.13+: /ip nat-pmp set enabled=yes) if applications need it.',
        };
  }
  if (e instanceof NatPmpResultError && e.code === 3 && noteDoubleNat(c, { natpmpError: e }, evidence)) {
    return { status: 'fail', detail: e.message, next: DOUBLE_NAT_NEXT };
  }
  if (e instanceof NatPmpResultError && e.code === 2) {
    const why = c.ports.router
      ? await explainDenied(c.ports.router, {
          protocol: 'tcp',
          externalPort: port.external,
          internalAddress: port.localIp,
          internalPort: port.internal,
        })
      : e.explanation;
    c.rec.finding({
      id: 'port-denied',
      severity: 'error',
      title: `NAT-PMP refused TCP ${port.external} for this PC`,
      detail: why,
      evidence: [e.message],
    });
    return { status: 'fail', detail: e.message, next: why };
  }
  throw e;
}

async function mapStep(
  c: RunContext,
  client: NatPmpPort,
  gateway: { host: string; why: string; localIp: string },
  required: boolean,
): Promise<boolean> {
  const localIp = gateway.localIp;
  // A random internal port of our own: using the port under test as internal port could refresh and
  // then delete a NAT-PMP mapping an application on this PC holds (RFC 6886 §3.3 keys on it).
  const port = 40000 + c.ports.random(20000);
  const suggested = c.opts.testPort ?? port;
  const outcome = await c.rec.run('natpmp-map', async (evidence) => {
    evidence.push(`NAT-PMP gateway ${gateway.host}: ${gateway.why}; this PC is ${localIp} toward it`);
    try {
      const ext = await client.externalAddress();
      evidence.push(`external address request → ${ext.address} (epoch ${ext.epoch})`);
      if (noteDoubleNat(c, { natpmpExternalAddress: ext.address }, evidence)) {
        return { status: 'fail', detail: `external address ${ext.address}: double NAT / CGNAT`, next: DOUBLE_NAT_NEXT };
      }
      const m = await client.map({
        protocol: 'tcp',
        internalPort: port,
        suggestedExternalPort: suggested,
        lifetime: TEST_LIFETIME_SECONDS,
      });
      c.natMapping = { internalPort: port, externalPort: m.externalPort, localIp, unmapped: false };
      evidence.push(
        `map TCP internal ${port}, suggested ${suggested}, ${TEST_LIFETIME_SECONDS} s → granted ${m.externalPort} for ${m.lifetime} s`,
      );
      const detail = `TCP ${m.externalPort} → ${localIp}:${port} for ${m.lifetime} s`;
      if (m.externalPort === suggested) return { status: 'pass', detail };
      evidence.push(
        `the gateway granted ${m.externalPort} instead of ${suggested} (the suggested port is taken or denied; RFC 6886 §3.3 allows this)`,
      );
      // Only a port the user asked about makes the substitution a problem: apps wanting it will not get it.
      return c.opts.testPort === undefined
        ? { status: 'pass', detail }
        : {
            status: 'warn',
            detail: `${detail}: NAT-PMP gave another port than ${suggested}`,
            next: `TCP ${suggested} is taken or denied for NAT-PMP: see the UPnP steps for who holds it.`,
          };
    } catch (e) {
      return mapFailed(c, e, { external: suggested, internal: port, localIp }, required, evidence);
    }
  });
  return outcome.status !== 'fail' && c.natMapping !== undefined;
}

async function verifyRouterStep(c: RunContext): Promise<void> {
  const m = c.natMapping;
  if (!c.ports.router || !m) {
    if (!c.ports.router) noteNoRouter(c);
    c.rec.skip(
      'natpmp-verify-router',
      c.ports.router ? 'skipped: no NAT-PMP mapping' : NO_ROUTER_SKIP,
      c.ports.router ? undefined : NO_ROUTER_NEXT,
    );
    return;
  }
  await c.rec.run('natpmp-verify-router', async (evidence) => {
    const q = {
      source: 'nat-pmp' as const,
      externalPort: m.externalPort,
      internalPort: m.internalPort,
      localIp: m.localIp,
    };
    if (await verifyOnRouter(c, q, evidence))
      return { status: 'pass', detail: `the router holds a dynamic dstnat rule for TCP ${m.externalPort}` };
    const detail =
      'NAT-PMP granted the mapping, but the router has no rule for it: the NAT-PMP gateway that answered is not this router';
    c.rec.finding({
      id: 'not-on-router',
      severity: 'error',
      title: 'The NAT-PMP mapping did not reach the router',
      detail,
      evidence: [...evidence],
    });
    return { status: 'fail', detail, next: 'Give the router’s LAN address as the NAT-PMP gateway.' };
  });
}

async function unmapAndVerify(c: RunContext, client: NatPmpPort): Promise<void> {
  const m = c.natMapping;
  if (!m) {
    c.rec.skip('natpmp-unmap', 'skipped: no NAT-PMP mapping');
    c.rec.skip('natpmp-verify-gone', 'skipped: no NAT-PMP mapping');
    return;
  }
  await c.rec.run('natpmp-unmap', async () => {
    await client.unmap({ protocol: 'tcp', internalPort: m.internalPort });
    m.unmapped = true;
    return { status: 'pass', detail: `unmapped internal TCP ${m.internalPort} (lifetime 0, RFC 6886 §3.4)` };
  });
  if (!m.unmapped) return void c.rec.skip('natpmp-verify-gone', 'skipped: the unmap failed');
  if (!c.ports.router)
    return void c.rec.skip(
      'natpmp-verify-gone',
      'skipped: NAT-PMP cannot list mappings and the router is not connected',
      NO_ROUTER_NEXT,
    );
  await c.rec.run('natpmp-verify-gone', async (evidence) => {
    const q = {
      source: 'nat-pmp' as const,
      externalPort: m.externalPort,
      internalPort: m.internalPort,
      localIp: m.localIp,
    };
    if (await verifyOnRouter(c, q, evidence))
      return {
        status: 'fail',
        detail: 'the router still holds the rule after the unmap',
        next: 'Disable and enable NAT-PMP on the router to drop it.',
      };
    return { status: 'pass', detail: 'the router no longer holds the rule' };
  });
}

export async function natPmpSteps(c: RunContext): Promise<void> {
  const plan = await natPmpPlan(c).catch((e: unknown) => ({
    run: false,
    required: false,
    why: `skipped: ${(e as Error).message}`,
  }));
  if (!plan.run) return skipAll(c, plan.why ?? 'skipped');
  let gateway: { host: string; why: string; localIp: string };
  try {
    const { host, why } = await natPmpHost(c);
    gateway = { host, why, localIp: await c.ports.localAddressToward(host) };
  } catch (e) {
    return skipAll(
      c,
      `skipped: no NAT-PMP gateway (${(e as Error).message})`,
      'Give the NAT-PMP gateway address (your router’s LAN IP).',
    );
  }
  const client = c.ports.natPmpClient({ host: gateway.host, port: c.opts.natPmpPort ?? 5351 });
  c.natClient = client;
  if (!(await mapStep(c, client, gateway, plan.required))) {
    const detail =
      c.rec.step('natpmp-map').status === 'skip' ? 'skipped: NAT-PMP not offered' : 'skipped: the map failed';
    for (const id of NATPMP_STEPS.slice(1)) c.rec.skip(id, detail);
    return;
  }
  await verifyRouterStep(c);
  await unmapAndVerify(c, client);
}
