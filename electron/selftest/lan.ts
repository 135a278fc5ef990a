/**
 * Where this PC meets the router (issue 15), surveyed once at the start of a run: the adapters SSDP
 * searches from, the OS default route, and — when PortPilot is connected to the router — the router's
 * LAN address on this PC's subnet. That address *is* the NAT-PMP gateway and the IGD host, whatever the
 * OS default route says: a PC behind a second router, or with a VPN up, has another default gateway.
 *
 * The address the user connected to is used when it lies on one of this PC's subnets (loopback counts:
 * the embedded demo router); otherwise the router's own `/ip/address` rows are searched for one on this
 * PC's subnets (the user may reach the router by its WAN address, a VPN or a DNS name).
 */
import type { RouterPort } from '../core/router-port';
import { adapterOnSubnet, describeAdapter, discoveryAdapters, inSubnet, type Adapter } from '../igd-client/adapters';
import type { GatewayChoice } from '../igd-client/default-gateway';
import type { DescribedGateway } from '../igd-client/gateways';
import { isIPv4 } from '../igd-client/route-table';
import type { RunContext } from './context';

export type { LanSurvey, RouterLan } from './lan-survey';
import type { LanSurvey, RouterLan } from './lan-survey';

const isTrue = (v: string | undefined): boolean => v === 'true' || v === 'yes';

/** The router's enabled, valid IPv4 addresses as `{ address, prefixLength, interface }`. */
export function routerAddresses(
  rows: Record<string, string | undefined>[],
): { address: string; prefixLength: number; iface: string }[] {
  return rows.flatMap((r) => {
    const [address, prefix] = (r['address'] ?? '').split('/');
    const prefixLength = Number(prefix ?? '32');
    if (!isIPv4(address) || !Number.isInteger(prefixLength) || prefixLength < 0 || prefixLength > 32) return [];
    if (isTrue(r['disabled']) || isTrue(r['invalid'])) return [];
    return [{ address, prefixLength, iface: r['interface'] ?? '' }];
  });
}

/**
 * The router's LAN address on this PC's subnet: the host the user connected to when it is on one of
 * this PC's subnets, else the router address whose network holds one of this PC's addresses.
 */
export function routerLanAddress(
  host: string | undefined,
  rows: Record<string, string | undefined>[] | null,
  adapters: readonly Adapter[],
): RouterLan | null {
  const all = rows ? routerAddresses(rows) : [];
  const routerIps = all.map((a) => a.address);
  const direct = host && isIPv4(host) ? adapterOnSubnet(adapters, host) : undefined;
  if (host && direct) return { address: host, adapter: direct, how: 'connected-host', routerAddresses: routerIps };
  for (const r of all) {
    const pc = adapters.find((a) => !a.internal && inSubnet(a.address, r.address, r.prefixLength));
    if (pc) return { address: r.address, adapter: pc, how: 'router-address', routerAddresses: routerIps };
  }
  return null;
}

async function readRouterAddresses(router: RouterPort): Promise<Record<string, string | undefined>[] | null> {
  return router.print('/ip/address', { proplist: ['address', 'interface', 'disabled', 'invalid'] }).catch(() => null);
}

function searchFrom(c: RunContext, adapters: Adapter[], routeIface: string | undefined, lan: RouterLan | null) {
  const search = discoveryAdapters(adapters, { choose: c.opts.adapter, routeIface });
  // The adapter the router is on is always searched from (unless the user chose another).
  if (lan && !c.opts.adapter && !search.use.includes(lan.adapter) && !lan.adapter.internal) {
    search.use.push(lan.adapter);
    search.skipped = search.skipped.filter((s) => s.adapter !== lan.adapter);
    search.notes.push(`${describeAdapter(lan.adapter)} is on the router’s LAN, so it is searched from too`);
  }
  return search;
}

/** Surveys adapters, the default route and the router's LAN address; facts go to `evidence`. */
export async function surveyLan(c: RunContext, evidence: string[]): Promise<LanSurvey> {
  const adapters = c.ports.adapters();
  let defaultRoute: GatewayChoice | null = null;
  let defaultRouteError: string | null = null;
  try {
    defaultRoute = await c.ports.defaultRoute();
    evidence.push(...defaultRoute.evidence);
  } catch (e) {
    defaultRouteError = (e as Error).message;
    evidence.push(`no default gateway for a unicast search: ${defaultRouteError}`);
  }
  let routerLan: RouterLan | null = null;
  if (c.ports.router && c.opts.routerHost) {
    const host = c.opts.routerHost;
    routerLan = routerLanAddress(host, await readRouterAddresses(c.ports.router), adapters);
    evidence.push(lanLine(host, routerLan));
  }
  const search = searchFrom(c, adapters, defaultRoute?.iface, routerLan);
  evidence.push(...search.notes);
  for (const s of search.skipped) evidence.push(`not searching from ${describeAdapter(s.adapter)}: ${s.why}`);
  return { adapters, search, defaultRoute, defaultRouteError, routerLan };
}

function lanLine(host: string, lan: RouterLan | null): string {
  if (!lan) return `the router (connected at ${host}) has no address on this PC’s subnets: this PC is not on its LAN`;
  if (lan.how === 'connected-host')
    return `the router’s LAN address is ${lan.address}, the address PortPilot is connected to, on ${describeAdapter(lan.adapter)}`;
  return `the router’s LAN address is ${lan.address} (its /ip/address on this PC’s subnet, ${describeAdapter(lan.adapter)}); PortPilot is connected to it at ${host}`;
}

/**
 * Findings when this PC does not reach the Internet through the router: a VPN carries its traffic, its
 * default gateway is another device, or the router is not on its network at all.
 */
export function noteGatewayElsewhere(c: RunContext, s: LanSurvey): void {
  const route = s.defaultRoute;
  if (route?.internetVia) {
    const via = route.internetVia;
    c.rec.finding({
      id: 'vpn',
      severity: 'warn',
      title: 'A VPN carries this PC’s Internet traffic',
      detail: `The OS sends Internet traffic through "${via.iface}" (${via.why}). Games and apps then reach the Internet from the VPN’s address, so port mappings on your router do not help them while it is on. This test still checks the router through "${route.iface}". Turn the VPN off, or leave the game out of it (split tunnelling).`,
      evidence: route.evidence.slice(-1),
    });
  }
  if (!c.ports.router || !c.opts.routerHost) return;
  const lan = s.routerLan;
  if (!lan) {
    c.rec.finding({
      id: 'gateway-elsewhere',
      severity: 'warn',
      title: 'The router is not on this PC’s network',
      detail: `PortPilot reaches the router at ${c.opts.routerHost}, but none of its addresses is on this PC’s subnets: this PC is connected through another router or a VPN. UPnP and NAT-PMP only work from the router’s own LAN: run the test from a PC on it.`,
      evidence: s.adapters.filter((a) => !a.internal).map((a) => `this PC: ${describeAdapter(a)}`),
    });
    return;
  }
  // A router on this PC's loopback (the embedded demo router) is no LAN router: any gateway is fine.
  if (lan.adapter.internal) return;
  if (route && route.gateway !== lan.address && !lan.routerAddresses.includes(route.gateway)) {
    c.rec.finding({
      id: 'gateway-elsewhere',
      severity: 'warn',
      title: 'This PC’s default gateway is another device',
      detail: `The router is ${lan.address} on this PC’s network, but the OS sends Internet traffic to ${route.gateway} on "${route.iface}". This PC is behind another router (or on a second network), so the router’s mappings do not reach it from the Internet. Connect the PC to the router’s LAN (or make the router its gateway). The test uses ${lan.address} as the gateway.`,
      evidence: [
        `default gateway ${route.gateway}; router ${[lan.address, ...lan.routerAddresses.filter((a) => a !== lan.address)].join(', ')}`,
      ],
    });
  }
}

/**
 * Which address a mapping is made for, and which adapter found the gateway. The address is the one
 * the OS talks to the gateway from: gateways map only for the asking address (miniupnpd secure_mode;
 * NAT-PMP maps for the request's source, RFC 6886 §3.3). When that is not an adapter that heard the
 * gateway, applications on that adapter would not get the mapping: say so.
 */
export function noteMappingAddress(
  c: RunContext,
  g: DescribedGateway,
  host: string,
  localIp: string,
  evidence: string[],
): void {
  const mine = c.lan?.adapters.find((a) => a.address === localIp && !a.internal);
  const where = mine ? ` on ${describeAdapter(mine)}` : '';
  const heard = g.gateway.heardOn.filter((h) => h.adapter !== null);
  if (heard.length === 0) return void evidence.push(`this PC is ${localIp}${where} as the gateway sees it`);
  const heardText = heard.map((h) => `"${h.adapter}" (${h.localAddress})`).join(', ');
  evidence.push(`the gateway answered on ${heardText}`);
  if (heard.some((h) => h.localAddress === localIp)) {
    evidence.push(`this PC is ${localIp}${where} as the gateway sees it: the adapter that found it`);
    return;
  }
  evidence.push(`this PC is ${localIp}${where} as the gateway sees it, not an adapter that found it`);
  c.rec.finding({
    id: 'adapter-mismatch',
    severity: 'warn',
    title: 'This PC reaches the gateway through another adapter than the one that found it',
    detail: `The gateway answered on ${heardText}, but the OS sends traffic for ${host} from ${localIp}${where}${mine?.why ? ` (${mine.why})` : ''}. Mappings are made for the address the gateway sees, so applications on ${heardText} would not get them. Disconnect the other adapter or VPN, or choose the adapter in the test options.`,
    evidence: [`routing toward ${host}: ${localIp}`],
  });
}
