// Steps 4–8 over UPnP: add a test mapping, see it on the router, list it, delete it, check it is gone.
import { IgdSoapFault } from '../igd-client/errors';
import {
  DOUBLE_NAT_NEXT,
  NO_ROUTER_NEXT,
  NO_ROUTER_SKIP,
  noteDoubleNat,
  noteNoRouter,
  type RunContext,
} from './context';
import type { IgdPort } from './ports';
import type { StepOutcome } from './recorder';
import { describeRule, explainDenied, findMappingRule, holderFromComment, rulesOnPort } from './router-checks';

/** A lease on gateways that honour it, so a test mapping left by a crash expires by itself; RouterOS
 *  accepts only 0 (725 OnlyPermanentLeasesSupported, routeros-facts.md). */
const TEST_LEASE_SECONDS = 600;

/** A high port nobody holds (UPnP: GetSpecificPortMappingEntry answers 714 for a free one). */
async function freePort(c: RunContext, igd: IgdPort, evidence: string[], avoid: number[] = []): Promise<number> {
  for (let i = 0; i < 8; i++) {
    const port = 40000 + c.ports.random(20000);
    if (avoid.includes(port)) continue;
    const held = await igd.getSpecificPortMappingEntry(port, 'TCP').catch(() => null);
    if (!held) return port;
    evidence.push(`TCP ${port} is already mapped to ${held.internalClient} ("${held.description}"), trying another`);
  }
  throw new Error('no free high port found after 8 tries: the gateway’s table looks full');
}

async function holderOf(c: RunContext, igd: IgdPort, port: number): Promise<string> {
  if (c.ports.router) {
    const rule = (await rulesOnPort(c.ports.router, 'tcp', port).catch(() => []))[0];
    const h = rule ? holderFromComment(rule['comment'] ?? '') : null;
    if (h)
      return `${h.address} ("${h.description}", ${h.source}) per the router's NAT rule comment "${rule?.['comment'] ?? ''}"`;
  }
  const entry = await igd.getSpecificPortMappingEntry(port, 'TCP').catch(() => null);
  return entry ? `${entry.internalClient} ("${entry.description}")` : 'another device (the gateway does not say which)';
}

async function addOnce(c: RunContext, igd: IgdPort, port: number, lease: number): Promise<void> {
  const localIp = c.localIp ?? '';
  const request = {
    externalPort: port,
    protocol: 'TCP' as const,
    internalPort: port,
    internalClient: localIp,
    description: c.description,
    leaseDuration: lease,
  };
  try {
    await igd.addPortMapping(request);
  } catch (e) {
    // A SOAP fault means the gateway refused it; anything else (timeout) may have created it.
    if (!(e instanceof IgdSoapFault)) c.igdMapping = { port, deleted: false };
    throw e;
  }
  c.igdMapping = { port, deleted: false };
}

async function refused(c: RunContext, e: IgdSoapFault, port: number, evidence: string[]): Promise<StepOutcome> {
  if (e.code === 606) {
    const why = c.ports.router
      ? await explainDenied(c.ports.router, {
          protocol: 'tcp',
          externalPort: port,
          internalAddress: c.localIp ?? '',
          internalPort: port,
        })
      : `${e.explanation} (miniupnpd: its allow/deny lines; RouterOS: /ip upnp permissions where the menu exists)`;
    evidence.push(why);
    c.rec.finding({
      id: 'port-denied',
      severity: 'error',
      title: `The router refused TCP ${port} for this PC (UPnP 606)`,
      detail: why,
      evidence: [e.message],
    });
    return { status: 'fail', detail: `UPnP 606 Action not authorized for TCP ${port}`, next: why };
  }
  if (e.code === 501 && noteDoubleNat(c, { igdAddError: e }, evidence)) {
    return {
      status: 'fail',
      detail: 'UPnP 501 Action Failed: the gateway cannot forward (double NAT / CGNAT)',
      next: DOUBLE_NAT_NEXT,
    };
  }
  return { status: 'fail', detail: e.message, next: e.explanation };
}

async function addWithRetries(c: RunContext, igd: IgdPort, evidence: string[]): Promise<StepOutcome> {
  let port = await freePort(c, igd, evidence);
  let lease = c.gateway?.isRouterOs ? 0 : TEST_LEASE_SECONDS;
  let status: StepOutcome['status'] = 'pass';
  for (let attempt = 0; ; attempt++) {
    try {
      await addOnce(c, igd, port, lease);
      evidence.push(`AddPortMapping TCP ${port} → ${c.localIp}:${port}, lease ${lease} s: accepted`);
      return {
        status,
        detail: `TCP ${port} → ${c.localIp}:${port} (lease ${lease === 0 ? '0, permanent' : `${lease} s`})`,
      };
    } catch (e) {
      if (!(e instanceof IgdSoapFault) || attempt >= 2)
        return e instanceof IgdSoapFault ? refused(c, e, port, evidence) : Promise.reject(e);
      evidence.push(`AddPortMapping TCP ${port}, lease ${lease} s → UPnP ${e.code} ${e.description}`);
      if (e.code === 725 && lease !== 0) {
        evidence.push(
          '725 OnlyPermanentLeasesSupported: this gateway (like RouterOS) accepts only permanent mappings; retrying with lease 0',
        );
        c.rec.finding({
          id: 'only-permanent',
          severity: 'info',
          title: 'The gateway accepts only permanent mappings',
          detail:
            'Mappings never expire on their own here (RouterOS behaviour): stale ones must be cleaned up, which PortPilot’s Mappings screen does.',
          evidence: [e.message],
        });
        lease = 0;
      } else if (e.code === 718) {
        const holder = await holderOf(c, igd, port);
        evidence.push(`718 ConflictInMappingEntry: TCP ${port} is held by ${holder}; retrying on another port`);
        c.rec.finding({
          id: 'port-conflict',
          severity: 'warn',
          title: `TCP ${port} is held by another device`,
          detail: `Held by ${holder}. Applications asking for this port will be refused.`,
          evidence: [e.message],
        });
        status = 'warn';
        port = await freePort(c, igd, evidence, [port]);
      } else return refused(c, e, port, evidence);
    }
  }
}

export async function igdAddStep(c: RunContext): Promise<void> {
  const igd = c.igd;
  if (!igd || !c.localIp) {
    c.rec.skip('igd-add', 'skipped: no usable gateway');
    return;
  }
  await c.rec.run('igd-add', (evidence) => addWithRetries(c, igd, evidence));
}

/** Verifies the dynamic dstnat rule for a mapping exists (or is gone) on the router. */
export async function verifyOnRouter(
  c: RunContext,
  q: { source: 'upnp' | 'nat-pmp'; externalPort: number; internalPort: number; localIp: string },
  evidence: string[],
): Promise<boolean> {
  const router = c.ports.router;
  if (!router) return false;
  const { rule, others } = await findMappingRule(router, { ...q, protocol: 'tcp', internalAddress: q.localIp });
  if (rule) evidence.push(`/ip firewall nat (dynamic): ${describeRule(rule)}`);
  for (const r of others) evidence.push(`other rule on this port: ${describeRule(r)}`);
  if (!rule)
    evidence.push(
      `/ip firewall nat has no dynamic rule with comment "${q.source} ${q.localIp}: …" on TCP ${q.externalPort}`,
    );
  return rule !== null;
}

export async function igdVerifyRouterStep(c: RunContext): Promise<void> {
  const m = c.igdMapping;
  if (!c.ports.router) {
    noteNoRouter(c);
    c.rec.skip('igd-verify-router', NO_ROUTER_SKIP, NO_ROUTER_NEXT);
    return;
  }
  if (!m) {
    c.rec.skip('igd-verify-router', 'skipped: no test mapping');
    return;
  }
  await c.rec.run('igd-verify-router', async (evidence) => {
    const q = { source: 'upnp' as const, externalPort: m.port, internalPort: m.port, localIp: c.localIp ?? '' };
    if (await verifyOnRouter(c, q, evidence))
      return { status: 'pass', detail: `the router holds a dynamic dstnat rule for TCP ${m.port}` };
    const detail =
      'the gateway accepted the mapping, but the router has no rule for it: the UPnP gateway that answered is not this router';
    c.rec.finding({
      id: 'not-on-router',
      severity: 'error',
      title: 'The mapping did not reach the router',
      detail,
      evidence: [...evidence],
    });
    return {
      status: 'fail',
      detail,
      next: 'Check the Discover step for another UPnP device; turn UPnP off there or point the test at the router (RouterOS: http://<router>:2828/gateway.xml).',
    };
  });
}

export async function igdListStep(c: RunContext): Promise<void> {
  const igd = c.igd;
  const m = c.igdMapping;
  if (!igd || !m) {
    c.rec.skip('igd-list', 'skipped: no test mapping');
    return;
  }
  await c.rec.run('igd-list', async (evidence) => {
    const list = await igd.listPortMappings();
    const index = list.findIndex(
      (e) => e.externalPort === m.port && e.protocol === 'TCP' && e.internalClient === c.localIp,
    );
    evidence.push(`GetGenericPortMappingEntry 0…${list.length} → ${list.length} entries (713 ends the list)`);
    const mine = list[index];
    if (!mine)
      return {
        status: 'fail',
        detail: `TCP ${m.port} is not in the gateway's list`,
        next: 'The gateway forgot the mapping at once: check the router log.',
      };
    evidence.push(
      `index ${index}: TCP ${mine.externalPort} → ${mine.internalClient}:${mine.internalPort} "${mine.description}" lease ${mine.leaseDuration}`,
    );
    return { status: 'pass', detail: `listed at index ${index} of ${list.length}` };
  });
}

export async function igdDeleteStep(c: RunContext): Promise<void> {
  const igd = c.igd;
  const m = c.igdMapping;
  if (!igd || !m) {
    c.rec.skip('igd-delete', 'skipped: no test mapping');
    return;
  }
  await c.rec.run('igd-delete', async () => {
    await igd.deletePortMapping(m.port, 'TCP');
    m.deleted = true;
    return { status: 'pass', detail: `DeletePortMapping TCP ${m.port}: accepted` };
  });
}

export async function igdVerifyGoneStep(c: RunContext): Promise<void> {
  const igd = c.igd;
  const m = c.igdMapping;
  if (!igd || !m?.deleted) {
    c.rec.skip('igd-verify-gone', 'skipped: the test mapping was not deleted');
    return;
  }
  await c.rec.run('igd-verify-gone', async (evidence) => {
    const entry = await igd.getSpecificPortMappingEntry(m.port, 'TCP');
    evidence.push(
      entry
        ? `GetSpecificPortMappingEntry TCP ${m.port} still answers ${entry.internalClient}`
        : `GetSpecificPortMappingEntry TCP ${m.port} → 714 NoSuchEntryInArray`,
    );
    const q = { source: 'upnp' as const, externalPort: m.port, internalPort: m.port, localIp: c.localIp ?? '' };
    const onRouter = c.ports.router ? await verifyOnRouter(c, q, evidence) : false;
    if (entry || onRouter)
      return {
        status: 'fail',
        detail: 'the mapping is still there after DeletePortMapping',
        next: 'Restart UPnP on the router (disable/enable) to drop it.',
      };
    return {
      status: 'pass',
      detail: c.ports.router
        ? 'gone from the gateway and from the router'
        : 'gone from the gateway (router not checked)',
    };
  });
}
