/**
 * SSDP codec (UPnP Device Architecture 1.1 §1): parse M-SEARCH, choose which targets match,
 * build the unicast search responses and NOTIFY messages. Pure; the socket lives in ssdp-server.ts.
 */
import { deviceUdn, type DeviceIdentity, type DeviceLevel } from './description';
import { deviceType, serviceType, type IgdVersion } from './services';

export const SSDP_MULTICAST = '239.255.255.250';
export const SSDP_PORT = 1900;
/** RouterOS-like SERVER header: OS/version UPnP/1.0 product/version (UDA 1.0 §1.1.3). */
export const SSDP_SERVER = (modelNumber: string): string => `RouterOS/${modelNumber} UPnP/1.0 MikroTik UPnP/1.0`;

export interface MSearch {
  st: string;
  /** Seconds; undefined for unicast searches, which carry no MX (UDA 1.1 §1.3.2). */
  mx: number | undefined;
  host: string;
}

/** A target this device advertises: NT/ST value and its USN. */
export interface Target {
  st: string;
  usn: string;
}

export function parseMSearch(message: Buffer | string): MSearch | undefined {
  const text = message.toString('latin1');
  const [head] = text.split('\r\n\r\n');
  const lines = (head ?? '').split(/\r?\n/);
  if (!/^M-SEARCH \* HTTP\/1\.1$/i.test((lines[0] ?? '').trim())) return undefined;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toUpperCase(), line.slice(colon + 1).trim());
  }
  // UDA 1.1 §1.3.2: MAN must be "ssdp:discover" (quoted) and ST is required.
  if (headers.get('MAN') !== '"ssdp:discover"') return undefined;
  const st = headers.get('ST');
  if (!st) return undefined;
  const mxText = headers.get('MX');
  const mx = mxText !== undefined && /^\d+$/.test(mxText) ? Number(mxText) : undefined;
  return { st, mx, host: headers.get('HOST') ?? '' };
}

/** UDA 1.1 §1.2.2: 3 for the root device, 2 per embedded device, 1 per service type. */
export function allTargets(version: IgdVersion, identity: DeviceIdentity): Target[] {
  const udn = (level: DeviceLevel): string => deviceUdn(identity, level);
  const devices: [DeviceLevel, string][] = [
    [0, deviceType('InternetGatewayDevice', version)],
    [1, deviceType('WANDevice', version)],
    [2, deviceType('WANConnectionDevice', version)],
  ];
  const targets: Target[] = [{ st: 'upnp:rootdevice', usn: `${udn(0)}::upnp:rootdevice` }];
  for (const [level, type] of devices) {
    targets.push({ st: udn(level), usn: udn(level) }, { st: type, usn: `${udn(level)}::${type}` });
  }
  for (const [level, type] of [
    [1, serviceType('WANCommonInterfaceConfig', version)],
    [2, serviceType('WANIPConnection', version)],
  ] as const) {
    targets.push({ st: type, usn: `${udn(level)}::${type}` });
  }
  return targets;
}

const URN = /^(urn:schemas-upnp-org:(?:device|service):[A-Za-z0-9_-]+):(\d+)$/;

/**
 * Targets answering a search. A search for a lower version of a type we serve is answered with
 * the requested version in ST and USN (UDA 1.1 §1.3.3), so IGD:1 clients find an IGD:2 device
 * as they find miniupnpd.
 */
export function matchSearch(st: string, version: IgdVersion, identity: DeviceIdentity): Target[] {
  const targets = allTargets(version, identity);
  if (st === 'ssdp:all') return targets;
  const exact = targets.filter((t) => t.st === st);
  if (exact.length > 0) return exact;
  const requested = URN.exec(st);
  if (!requested) return [];
  for (const t of targets) {
    const served = URN.exec(t.st);
    if (
      served &&
      served[1] === requested[1] &&
      Number(requested[2]) >= 1 &&
      Number(requested[2]) <= Number(served[2])
    ) {
      return [{ st, usn: `${t.usn.split('::')[0]}::${st}` }];
    }
  }
  return [];
}

export interface AdvertParams {
  location: string;
  maxAgeSeconds: number;
  server: string;
}

export function buildSearchResponse(target: Target, p: AdvertParams, date: Date): string {
  return (
    'HTTP/1.1 200 OK\r\n' +
    `CACHE-CONTROL: max-age=${p.maxAgeSeconds}\r\n` +
    `DATE: ${date.toUTCString()}\r\n` +
    'EXT:\r\n' +
    `LOCATION: ${p.location}\r\n` +
    `SERVER: ${p.server}\r\n` +
    `ST: ${target.st}\r\n` +
    `USN: ${target.usn}\r\n` +
    '\r\n'
  );
}

export function buildNotify(target: Target, nts: 'ssdp:alive' | 'ssdp:byebye', p: AdvertParams): string {
  const alive = nts === 'ssdp:alive';
  return (
    'NOTIFY * HTTP/1.1\r\n' +
    `HOST: ${SSDP_MULTICAST}:${SSDP_PORT}\r\n` +
    (alive ? `CACHE-CONTROL: max-age=${p.maxAgeSeconds}\r\n` : '') +
    (alive ? `LOCATION: ${p.location}\r\n` : '') +
    `NT: ${target.st}\r\n` +
    `NTS: ${nts}\r\n` +
    (alive ? `SERVER: ${p.server}\r\n` : '') +
    `USN: ${target.usn}\r\n` +
    '\r\n'
  );
}

/**
 * Response delay for a search: random within MX (UDA 1.1 §1.3.3), capped at 1 s so clients with
 * MX 3–5 are not kept waiting; unicast searches (HOST not the group, MX unused) are answered at once.
 */
export function searchDelayMs(search: MSearch, random: () => number = Math.random): number {
  if (search.mx === undefined || !search.host.startsWith(SSDP_MULTICAST)) return 0;
  return Math.floor(random() * Math.min(search.mx, 1) * 1000);
}
