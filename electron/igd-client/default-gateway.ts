/**
 * This PC's default gateway and its own address toward it, on Windows, macOS and Linux (issue 15): the
 * NAT-PMP server (RFC 6886 §3: a client sends to its default gateway) and the unicast SSDP target.
 *
 * Read from the OS's own route table (route-table.ts parses each format; README.md says why these
 * commands and not the `default-gateway` package). Among several default routes the choice is, in
 * order: a physical adapter before a virtual one or a tunnel (a VPN's default leads to the VPN
 * provider, whose NAT-PMP is not ours); then the lowest metric (Windows: route + interface metric;
 * Linux: the route metric); then the system-wide default before a macOS interface-scoped one; then
 * table order (macOS prints no metric and lists the primary service first). When the OS sends Internet
 * traffic elsewhere — a VPN's default or its 0.0.0.0/1 + 128.0.0.0/1 pair — the choice says so.
 */
import { readFile as fsReadFile } from 'node:fs/promises';
import os from 'node:os';
import { describeAdapter, inSubnet, kindOfName, listAdapters, type Adapter, type AdapterKind } from './adapters';
import { HostNetworkError } from './errors';
import {
  parseIpRoute,
  parseNetRouteJson,
  parseNetstatRoutes,
  parseProcNetRoute,
  parseRoutePrint,
  type DefaultRoute,
} from './route-table';
import { runCommand, type RunCommand } from './run-command';

export type { DefaultRoute } from './route-table';

export interface RouteReaderPorts {
  platform?: NodeJS.Platform;
  run?: RunCommand;
  readFile?: (path: string) => Promise<string>;
  /** %SystemRoot%: route.exe and powershell.exe run by full path, never found through PATH. */
  systemRoot?: string;
  networkInterfaces?: () => NodeJS.Dict<os.NetworkInterfaceInfo[]>;
}

export interface RouteTable {
  routes: DefaultRoute[];
  /** The command (or file) they came from, for evidence. */
  source: string;
}

/** PowerShell, only when route.exe cannot run: slower to start (and some security tools flag it). */
const GET_NET_ROUTE =
  '[Console]::OutputEncoding = [Text.Encoding]::UTF8; ' +
  'Get-NetRoute -AddressFamily IPv4 -DestinationPrefix 0.0.0.0/0,0.0.0.0/1,128.0.0.0/1 -ErrorAction SilentlyContinue | ' +
  'Select-Object DestinationPrefix,InterfaceAlias,NextHop,RouteMetric,InterfaceMetric | ConvertTo-Json -Compress';

async function readWindows(run: RunCommand, root: string): Promise<RouteTable> {
  try {
    return {
      routes: parseRoutePrint(await run(`${root}\\System32\\ROUTE.EXE`, ['PRINT', '-4'])),
      source: 'route print -4',
    };
  } catch (routeError) {
    const ps = `${root}\\System32\\WindowsPowerShell\\v1.0\\powershell.exe`;
    const text = await run(ps, ['-NoProfile', '-NonInteractive', '-Command', GET_NET_ROUTE], {
      timeoutMs: 15_000,
      encoding: 'utf8',
    }).catch((psError: Error) => {
      throw new HostNetworkError(
        'command-failed',
        `cannot read the route table: ${(routeError as Error).message}; ${psError.message}`,
      );
    });
    return { routes: parseNetRouteJson(text), source: 'Get-NetRoute (PowerShell)' };
  }
}

async function readLinux(run: RunCommand, readFile: (p: string) => Promise<string>): Promise<RouteTable> {
  try {
    return { routes: parseProcNetRoute(await readFile('/proc/net/route')), source: '/proc/net/route' };
  } catch {
    // No /proc (a sandbox): the same table through iproute2.
    return { routes: parseIpRoute(await run('ip', ['-4', 'route', 'show'])), source: 'ip -4 route show' };
  }
}

/** Every IPv4 default route (and VPN /1 override) the OS has. */
export async function readDefaultRoutes(ports: RouteReaderPorts = {}): Promise<RouteTable> {
  const platform = ports.platform ?? process.platform;
  const run = ports.run ?? runCommand;
  if (platform === 'win32') return readWindows(run, ports.systemRoot ?? process.env['SystemRoot'] ?? 'C:\\Windows');
  if (platform === 'darwin')
    return {
      routes: parseNetstatRoutes(await run('/usr/sbin/netstat', ['-rn', '-f', 'inet'])),
      source: 'netstat -rn -f inet',
    };
  if (platform === 'linux') return readLinux(run, ports.readFile ?? ((p) => fsReadFile(p, 'utf8')));
  throw new HostNetworkError(
    'unsupported-platform',
    `finding the default gateway is not supported on ${platform}: pass the gateway address (your router's LAN IP) explicitly`,
  );
}

export interface GatewayChoice {
  gateway: string;
  /** The adapter the route leaves by, and this PC's address there. */
  iface: string;
  localAddress: string | null;
  adapter: Adapter | null;
  /** Set when the OS sends Internet traffic through another adapter (a VPN) than the chosen route's. */
  internetVia: { iface: string; why: string } | null;
  /** One fact per line: every default route, the choice and why. */
  evidence: string[];
}

interface Resolved {
  route: DefaultRoute;
  name: string;
  adapter: Adapter | undefined;
  kind: AdapterKind;
  why: string | null;
  rank: number;
}

function resolve(route: DefaultRoute, adapters: readonly Adapter[]): Resolved {
  const named = route.iface ? adapters.filter((a) => a.name === route.iface) : [];
  const adapter = route.iface
    ? (named.find((a) => route.gateway && inSubnet(route.gateway, a.address, a.prefixLength)) ?? named[0])
    : adapters.find((a) => a.address === route.localAddress);
  const name = route.iface || adapter?.name || route.localAddress || '?';
  const byName = kindOfName(name);
  const kind = adapter?.kind ?? byName?.kind ?? 'physical';
  const why = adapter?.why ?? byName?.why ?? null;
  // A MAC-only match (a VM's own NIC) ranks between physical and a named virtual adapter or tunnel.
  const rank = kind === 'physical' ? 0 : adapter?.matchedBy === 'mac' ? 1 : 2;
  return { route, name, adapter, kind, why, rank };
}

function describeRoute(r: Resolved): string {
  const where = r.adapter ? describeAdapter(r.adapter) : `"${r.name}"`;
  const what = r.route.prefixLength === 1 ? '0.0.0.0/1 or 128.0.0.0/1' : 'default';
  const hop = r.route.gateway ? `via ${r.route.gateway}` : 'on-link';
  const extra = [
    r.route.metric !== null ? `metric ${r.route.metric}` : null,
    r.route.scoped ? 'interface-scoped' : null,
    r.why,
  ].filter(Boolean);
  return `${what} ${hop} on ${where}${extra.length ? ` (${extra.join(', ')})` : ''}`;
}

const byPreference = (a: Resolved, b: Resolved): number =>
  a.rank - b.rank ||
  Number(!!a.route.scoped) - Number(!!b.route.scoped) ||
  (a.route.metric ?? 0) - (b.route.metric ?? 0);

/** Where the OS itself sends Internet traffic: a /1 override wins, else its preferred default. */
function osChoice(all: Resolved[]): Resolved | undefined {
  const override = all.find((r) => r.route.prefixLength === 1);
  if (override) return override;
  return all
    .filter((r) => r.route.prefixLength === 0 && !r.route.scoped)
    .sort((a, b) => (a.route.metric ?? 0) - (b.route.metric ?? 0))[0];
}

function reasonFor(chosen: Resolved, candidates: Resolved[]): string {
  if (candidates.length === 1) return 'the only default route with a gateway';
  const physical = chosen.rank === 0 ? 'physical adapters' : 'the adapters';
  if (chosen.route.metric === null)
    return `first in the table among ${physical} (macOS lists the primary service first)`;
  return `the lowest metric among ${physical}`;
}

/** The default gateway to use among the table's routes, or null when none has a gateway. */
export function chooseDefaultRoute(table: RouteTable, adapters: readonly Adapter[]): GatewayChoice | null {
  const all = table.routes.map((r) => resolve(r, adapters));
  const candidates = all.filter((r) => r.route.prefixLength === 0 && r.route.gateway).sort(byPreference);
  const chosen = candidates[0];
  const evidence = [`default routes (${table.source}):`, ...all.map((r) => `  ${describeRoute(r)}`)];
  if (!chosen?.route.gateway) return null;
  const local = chosen.route.localAddress ?? chosen.adapter?.address ?? null;
  evidence.push(
    `default gateway ${chosen.route.gateway} on "${chosen.name}"${local ? ` (this PC: ${local})` : ''}: ${reasonFor(chosen, candidates)}`,
  );
  const system = osChoice(all);
  // A /1 pair always means a VPN took over; a default on a virtual adapter or tunnel says it by name.
  const elsewhere =
    system && system.name !== chosen.name && (system.route.prefixLength === 1 || system.kind !== 'physical');
  const internetVia = elsewhere
    ? {
        iface: system.name,
        why: system.why ?? (system.route.prefixLength === 1 ? 'a VPN overriding the default route' : system.kind),
      }
    : null;
  if (internetVia)
    evidence.push(
      `the OS sends Internet traffic through "${internetVia.iface}" (${internetVia.why}), not through ${chosen.route.gateway}`,
    );
  return {
    gateway: chosen.route.gateway,
    iface: chosen.name,
    localAddress: local,
    adapter: chosen.adapter ?? null,
    internetVia,
    evidence,
  };
}

/** Reads the route table and chooses; rejects with `no-gateway` when there is no default route. */
export async function findDefaultGateway(ports: RouteReaderPorts = {}): Promise<GatewayChoice> {
  const table = await readDefaultRoutes(ports);
  const adapters = listAdapters((ports.networkInterfaces ?? os.networkInterfaces)());
  const choice = chooseDefaultRoute(table, adapters);
  if (!choice)
    throw new HostNetworkError(
      'no-gateway',
      `this PC has no IPv4 default route with a gateway (${table.source}): connect it to the router, or pass the gateway address explicitly`,
    );
  return choice;
}

/** The default gateway's address (the NAT-PMP server of RFC 6886 §3). */
export async function defaultGateway(ports: RouteReaderPorts = {}): Promise<string> {
  return (await findDefaultGateway(ports)).gateway;
}
