// The OS default IPv4 gateway, as the NAT-PMP server address (RFC 6886 §3: the client sends to its
// default gateway). Only Linux is read here; elsewhere the caller must pass the gateway.
import { readFile } from 'node:fs/promises';
import { NatPmpError } from './errors';

const RTF_UP = 0x1;
const RTF_GATEWAY = 0x2;

/** /proc/net/route stores addresses as host-order (little-endian on x86/ARM) hex. */
function hexToIPv4(hex: string): string {
  const n = parseInt(hex, 16);
  return [n & 255, (n >>> 8) & 255, (n >>> 16) & 255, (n >>> 24) & 255].join('.');
}

export interface DefaultRoute {
  iface: string;
  gateway: string;
  metric: number;
}

/** Default routes (destination 0.0.0.0/0, flags UP|GATEWAY), lowest metric first. */
export function parseProcNetRoute(text: string): DefaultRoute[] {
  const routes: DefaultRoute[] = [];
  for (const line of text.split('\n').slice(1)) {
    const f = line.trim().split(/\s+/);
    const [iface, dest, gw, flagsHex, , , metric, mask] = f;
    if (!iface || !dest || !gw || !flagsHex || f.length < 8) continue;
    const flags = parseInt(flagsHex, 16);
    if (dest !== '00000000' || mask !== '00000000' || (flags & (RTF_UP | RTF_GATEWAY)) !== (RTF_UP | RTF_GATEWAY))
      continue;
    routes.push({ iface, gateway: hexToIPv4(gw), metric: Number(metric) || 0 });
  }
  return routes.sort((a, b) => a.metric - b.metric);
}

export interface DefaultGatewayPorts {
  platform?: NodeJS.Platform;
  readRouteTable?: () => Promise<string>;
}

export async function defaultGateway(ports: DefaultGatewayPorts = {}): Promise<string> {
  const platform = ports.platform ?? process.platform;
  if (platform !== 'linux') {
    throw new NatPmpError(
      'unsupported-platform',
      `finding the default gateway is not supported on ${platform}: pass the gateway address (your router's LAN IP) explicitly`,
    );
  }
  const text = await (ports.readRouteTable ?? (() => readFile('/proc/net/route', 'utf8')))();
  const route = parseProcNetRoute(text)[0];
  if (!route)
    throw new NatPmpError(
      'no-gateway',
      'this PC has no IPv4 default route: connect it to the router, or pass the gateway address explicitly',
    );
  return route.gateway;
}
