// Steps 1–3: discover the gateway (SSDP / unicast / URL by hand), read its description, external IP.
import { describeAdapter } from '../igd-client/adapters';
import type { DescribedGateway } from '../igd-client/gateways';
import { DOUBLE_NAT_NEXT, noteDoubleNat, type RunContext } from './context';
import { noteGatewayElsewhere, noteMappingAddress, surveyLan } from './lan';
import type { StepOutcome } from './recorder';
import { routerUpnpEnabled, routerWan } from './router-checks';
import { natPmpButNoSsdpAdvice, searchAgainIfNatPmpAnswers } from './ssdp-retry';

function gatewayLine(g: DescribedGateway): string {
  const what = g.description
    ? `${g.description.manufacturer} ${g.description.modelName}`.trim() || g.description.friendlyName
    : `description failed: ${g.error?.message ?? 'unknown error'}`;
  const server = g.gateway.server ? ` [${g.gateway.server}]` : '';
  const heard = g.gateway.heardOn.filter((h) => h.adapter !== null).map((h) => `"${h.adapter}"`);
  const on = heard.length ? ` — answered on ${heard.join(', ')}` : '';
  return `${g.gateway.location} — ${what}${server}${g.isRouterOs ? ' — RouterOS' : ''}${on}`;
}

/** Where to send a unicast M-SEARCH: the target given, the router's LAN address, the default gateway. */
function unicastTarget(c: RunContext): { address: string; port?: number; why: string } | null {
  if (c.opts.ssdpTarget) return { ...c.opts.ssdpTarget, why: 'given' };
  const lan = c.lan?.routerLan;
  if (lan) return { address: lan.address, why: 'the router’s LAN address' };
  const route = c.lan?.defaultRoute;
  return route ? { address: route.gateway, why: 'this PC’s default gateway' } : null;
}

async function gatherGateways(c: RunContext, evidence: string[], windowMs?: number): Promise<DescribedGateway[]> {
  if (c.opts.gatewayUrl) {
    evidence.push(
      c.opts.gatewayUrlFrom === 'demo'
        ? `the demo router’s root description URL: ${c.opts.gatewayUrl} (it listens on a loopback port that SSDP cannot find, so no SSDP search)`
        : `root description URL given by hand: ${c.opts.gatewayUrl} (no SSDP search)`,
    );
    return [await c.ports.describeUrl(c.opts.gatewayUrl)];
  }
  const target = unicastTarget(c);
  const unicast = target ? [{ address: target.address, port: target.port }] : [];
  const multicast = c.opts.multicast !== false;
  const from = (c.lan?.search.use ?? []).map((a) => ({ name: a.name, address: a.address }));
  const parts = [
    multicast ? `multicast from ${c.lan?.search.use.map(describeAdapter).join(', ') || 'no adapter'}` : null,
    target ? `unicast to ${target.address}:${target.port ?? 1900} (${target.why})` : null,
  ].filter(Boolean);
  evidence.push(
    `SSDP M-SEARCH for IGD:2, IGD:1, WANIPConnection and WANPPPConnection: ${parts.join('; ') || 'nowhere to send it (no adapter, no gateway known)'}${windowMs ? `; listening ${windowMs / 1000} s` : ''}`,
  );
  return c.ports.findGateways({
    unicastTargets: unicast,
    multicast,
    adapters: multicast ? from : undefined,
    ...(windowMs ? { windowMs } : {}),
  });
}

async function noGateway(c: RunContext): Promise<StepOutcome> {
  if (c.natPmpWithoutSsdp) {
    const next = natPmpButNoSsdpAdvice(c.natPmpWithoutSsdp);
    const title = 'The router answered NAT-PMP but not UPnP discovery';
    c.rec.finding({ id: 'no-gateway', severity: 'error', title, detail: next, evidence: [] });
    return { status: 'fail', detail: 'the router answered NAT-PMP but not UPnP discovery (SSDP)', next };
  }
  let next =
    'Turn UPnP on in the router (RouterOS: /ip upnp set enabled=yes, with the LAN as internal and the WAN as external interface in /ip upnp interfaces), or give the root description URL by hand (RouterOS: http://<router>:2828/gateway.xml).';
  if (c.ports.router && !(await routerUpnpEnabled(c.ports.router).catch(() => true))) {
    next = 'UPnP is off on the router: enable it (/ip upnp set enabled=yes) and run the test again.';
  }
  c.rec.finding({ id: 'no-gateway', severity: 'error', title: 'No UPnP gateway answered', detail: next, evidence: [] });
  return { status: 'fail', detail: 'no Internet Gateway Device answered', next };
}

export async function discoverStep(c: RunContext): Promise<void> {
  await c.rec.run('discover', async (evidence) => {
    c.lan = await surveyLan(c, evidence);
    noteGatewayElsewhere(c, c.lan);
    let all = await gatherGateways(c, evidence);
    if (all.length === 0) all = await searchAgainIfNatPmpAnswers(c, evidence, (ms) => gatherGateways(c, evidence, ms));
    all.forEach((g) => evidence.push(gatewayLine(g)));
    if (all.length === 0) return noGateway(c);
    const chosen = all.find((g) => g.description && g.isRouterOs) ?? all.find((g) => g.description) ?? all[0];
    if (!chosen) return noGateway(c);
    c.gateway = chosen;
    const kind = chosen.isRouterOs ? 'RouterOS' : 'not RouterOS';
    if (all.length > 1) {
      const ros = all.filter((g) => g.isRouterOs).map((g) => g.gateway.location);
      c.rec.finding({
        id: 'several-gateways',
        severity: 'warn',
        title: `${all.length} UPnP gateways answered on this network`,
        detail: `Applications may map ports on the wrong one. ${ros.length ? `The RouterOS one is ${ros.join(', ')}.` : 'None of them is RouterOS.'} Turn UPnP off on the others.`,
        evidence: all.map(gatewayLine),
      });
    }
    if (c.ports.router && !chosen.isRouterOs) {
      const detail = 'the gateway that answered is not RouterOS, so mappings land on another device';
      c.rec.finding({
        id: 'not-routeros',
        severity: 'warn',
        title: 'The UPnP gateway is not the router',
        detail,
        evidence: [gatewayLine(chosen)],
      });
      return {
        status: 'warn',
        detail: `using ${chosen.gateway.location}: ${detail}`,
        next: 'Turn UPnP off on the other device, or put it in bridge mode.',
      };
    }
    return {
      status: 'pass',
      detail: `found ${all.length} gateway${all.length > 1 ? 's' : ''}; using ${chosen.gateway.location} (${kind})`,
    };
  });
}

export async function describeStep(c: RunContext): Promise<void> {
  const g = c.gateway;
  if (!g) {
    c.rec.skip('description', 'skipped: no gateway');
    return;
  }
  await c.rec.run('description', async (evidence) => {
    if (!g.description) {
      return {
        status: 'fail',
        detail: g.error?.message ?? 'the description could not be read',
        next: 'Check that the URL is the root description (RouterOS: http://<router>:2828/gateway.xml).',
      };
    }
    const d = g.description;
    evidence.push(`device: ${d.friendlyName} (${d.manufacturer} ${d.modelName})`);
    evidence.push(`IGD version ${d.igdVersion}, service ${d.service.serviceType}`);
    evidence.push(`control URL ${d.service.controlUrl}`);
    c.igd = c.ports.igdClient(g);
    const host = new URL(d.service.controlUrl).hostname;
    c.localIp = await c.ports.localAddressToward(host);
    noteMappingAddress(c, g, host, c.localIp, evidence);
    return { status: 'pass', detail: `IGD:${d.igdVersion} with ${d.service.kind}:${d.service.version}` };
  });
}

export async function externalIpStep(c: RunContext): Promise<void> {
  const igd = c.igd;
  if (!igd) {
    c.rec.skip('external-ip', 'skipped: no usable gateway');
    return;
  }
  await c.rec.run('external-ip', async (evidence) => {
    const ip = await igd.getExternalIPAddress();
    evidence.push(`GetExternalIPAddress → "${ip}"`);
    if (c.ports.router) {
      c.wan = await routerWan(c.ports.router);
      const wan = c.wan;
      evidence.push(
        wan
          ? `router: UPnP external interface ${wan.interface}, address ${wan.address ?? 'none'}${wan.forcedIp ? ' (forced-ip)' : ''}`
          : 'router: no enabled external UPnP interface',
      );
    }
    if (noteDoubleNat(c, { igdExternalIp: ip, routerWanAddress: c.wan?.address ?? undefined }, evidence)) {
      return { status: 'fail', detail: `external IP "${ip || 'none'}": double NAT / CGNAT`, next: DOUBLE_NAT_NEXT };
    }
    return { status: 'pass', detail: `${ip}${c.wan?.address === ip ? ' (matches the router’s WAN address)' : ''}` };
  });
}
