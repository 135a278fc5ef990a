// Steps 5–8 over UPnP: see the test mapping on the router, list it, delete it, check it is gone
// (step 4, the add, is igd-add.ts).
import { NO_ROUTER_NEXT, NO_ROUTER_SKIP, noteNoRouter, type RunContext } from './context';
import { describeRule, findMappingRule } from './router-checks';

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
