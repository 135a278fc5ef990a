// Step 4: add the UPnP test mapping. A free high port by default, or the port the user asked about
// ("does 3074 work?"). Refusals are explained: 606 names the permission rule or setting, 718 names the
// holder, 725 is retried with lease 0, 501 is double NAT.
import { IgdSoapFault } from '../igd-client/errors';
import { DOUBLE_NAT_NEXT, noteDoubleNat, type RunContext } from './context';
import type { IgdPort } from './ports';
import type { StepOutcome } from './recorder';
import { explainDenied, holderFromComment, rulesOnPort } from './router-checks';

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

function noteConflict(c: RunContext, port: number, holder: string, severity: 'warn' | 'error', evidence: string): void {
  c.rec.finding({
    id: 'port-conflict',
    severity,
    title: `TCP ${port} is held by another device`,
    detail: `Held by ${holder}. Applications on this PC asking for TCP ${port} will be refused until that mapping is removed.`,
    evidence: [evidence],
  });
}

/** A port the user asked about is tested only if nobody holds it: replacing and then deleting an
 *  existing mapping (maybe this PC's own game) would break it. */
async function checkRequested(
  c: RunContext,
  igd: IgdPort,
  port: number,
  evidence: string[],
): Promise<StepOutcome | null> {
  const held = await igd.getSpecificPortMappingEntry(port, 'TCP').catch(() => null);
  if (!held) return null;
  const line = `TCP ${port} is already mapped to ${held.internalClient}:${held.internalPort} ("${held.description}")`;
  evidence.push(`${line}: left untouched`);
  if (held.internalClient === c.localIp) {
    return {
      status: 'warn',
      detail: `${line}, which is this PC: the port is already forwarded here; not tested again`,
      next: 'Close the application that holds it to test the port from scratch.',
    };
  }
  const holder = await holderOf(c, igd, port);
  noteConflict(c, port, holder, 'error', line);
  return {
    status: 'fail',
    detail: `TCP ${port} is held by ${holder}`,
    next: 'Remove that mapping (Mappings screen) or let the other device use another port.',
  };
}

async function addOnce(c: RunContext, igd: IgdPort, port: number, lease: number): Promise<void> {
  const request = {
    externalPort: port,
    protocol: 'TCP' as const,
    internalPort: port,
    internalClient: c.localIp ?? '',
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
      : `${e.explanation} (on miniupnpd its allow/deny lines; on RouterOS its UPnP interface settings: connect PortPilot to the router to see which setting refused it)`;
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
  if (e.code === 718) {
    const holder = await holderOf(c, igd(c), port);
    evidence.push(`718 ConflictInMappingEntry: TCP ${port} is held by ${holder}`);
    noteConflict(c, port, holder, 'error', e.message);
    return {
      status: 'fail',
      detail: `TCP ${port} is held by ${holder}`,
      next: 'Remove that mapping (Mappings screen) or let the other device use another port.',
    };
  }
  return { status: 'fail', detail: e.message, next: e.explanation };
}

const igd = (c: RunContext): IgdPort => {
  if (!c.igd) throw new Error('no IGD client');
  return c.igd;
};

/** One more try after a refusal, or null when the refusal is final. */
async function retryAfter(
  c: RunContext,
  e: IgdSoapFault,
  t: { port: number; lease: number },
  evidence: string[],
): Promise<{ port: number; lease: number } | null> {
  if (e.code === 725 && t.lease !== 0) {
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
    return { ...t, lease: 0 };
  }
  if (e.code === 718 && c.opts.testPort === undefined) {
    // A port we picked ourselves is held by a mapping the pre-check could not see (secure mode): report the holder, try another.
    const holder = await holderOf(c, igd(c), t.port);
    evidence.push(`718 ConflictInMappingEntry: TCP ${t.port} is held by ${holder}; retrying on another port`);
    noteConflict(c, t.port, holder, 'warn', e.message);
    return { ...t, port: await freePort(c, igd(c), evidence, [t.port]) };
  }
  return null;
}

async function addWithRetries(c: RunContext, evidence: string[]): Promise<StepOutcome> {
  const requested = c.opts.testPort;
  if (requested !== undefined) {
    const blocked = await checkRequested(c, igd(c), requested, evidence);
    if (blocked) return blocked;
  }
  let t = {
    port: requested ?? (await freePort(c, igd(c), evidence)),
    lease: c.gateway?.isRouterOs ? 0 : TEST_LEASE_SECONDS,
  };
  let retried718 = false;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      await addOnce(c, igd(c), t.port, t.lease);
      evidence.push(`AddPortMapping TCP ${t.port} → ${c.localIp}:${t.port}, lease ${t.lease} s: accepted`);
      const detail = `TCP ${t.port} → ${c.localIp}:${t.port} (lease ${t.lease === 0 ? '0, permanent' : `${t.lease} s`})`;
      return { status: retried718 ? 'warn' : 'pass', detail };
    } catch (e) {
      if (!(e instanceof IgdSoapFault)) throw e;
      evidence.push(`AddPortMapping TCP ${t.port}, lease ${t.lease} s → UPnP ${e.code} ${e.description}`);
      const next = attempt < 2 ? await retryAfter(c, e, t, evidence) : null;
      if (!next) return refused(c, e, t.port, evidence);
      retried718 ||= next.port !== t.port;
      t = next;
    }
  }
  throw new Error('unreachable: every attempt returns or retries');
}

export async function igdAddStep(c: RunContext): Promise<void> {
  if (!c.igd || !c.localIp) {
    c.rec.skip('igd-add', 'skipped: no usable gateway');
    return;
  }
  await c.rec.run('igd-add', (evidence) => addWithRetries(c, evidence));
}
