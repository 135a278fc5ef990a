// Pure SSDP codec (UPnP Device Architecture 1.1 §1.3): M-SEARCH requests and search responses.

export const SSDP_MULTICAST_ADDRESS = '239.255.255.250';
export const SSDP_PORT = 1900;

/** Search targets, most capable first: an IGD:2 router answers the :2 ones, an IGD:1 router the :1
 *  ones; some only answer service searches. miniupnpd answers IGD:1 searches but may serve an IGD:2
 *  description (igd-lab-facts pitfall 4), so the description, not the ST, decides the version. */
export const IGD_SEARCH_TARGETS: readonly string[] = [
  'urn:schemas-upnp-org:device:InternetGatewayDevice:2',
  'urn:schemas-upnp-org:device:InternetGatewayDevice:1',
  'urn:schemas-upnp-org:service:WANIPConnection:2',
  'urn:schemas-upnp-org:service:WANIPConnection:1',
  'urn:schemas-upnp-org:service:WANPPPConnection:1',
];

/** Multicast search (UDA 1.1 §1.3.2): MX bounds the responders' random delay, in seconds. */
export function buildMulticastSearch(searchTarget: string, mxSeconds: number): string {
  return [
    'M-SEARCH * HTTP/1.1',
    `HOST: ${SSDP_MULTICAST_ADDRESS}:${SSDP_PORT}`,
    'MAN: "ssdp:discover"',
    `MX: ${Math.max(1, Math.min(5, Math.round(mxSeconds)))}`,
    `ST: ${searchTarget}`,
    '',
    '',
  ].join('\r\n');
}

/** Unicast search (UDA 1.1 §1.3.2): HOST is the target itself and MX is omitted. */
export function buildUnicastSearch(searchTarget: string, host: string, port: number): string {
  return ['M-SEARCH * HTTP/1.1', `HOST: ${host}:${port}`, 'MAN: "ssdp:discover"', `ST: ${searchTarget}`, '', ''].join(
    '\r\n',
  );
}

export interface SsdpResponse {
  location: string;
  st: string;
  usn: string;
  server: string;
  /** Every header, names lower-cased (HTTP header names are case-insensitive, RFC 7230 §3.2). */
  headers: Readonly<Record<string, string>>;
}

/** Parses a search response; returns null for anything that is not a 200 answer with a LOCATION
 *  (NOTIFY announcements, other M-SEARCHes seen on the group, garbage). */
export function parseSsdpResponse(text: string): SsdpResponse | null {
  const lines = text.split(/\r?\n/);
  const status = lines[0] ?? '';
  if (!/^HTTP\/1\.[01]\s+200\b/i.test(status)) return null;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) continue;
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  const location = headers['location'];
  if (!location || !/^https?:\/\//i.test(location)) return null;
  return { location, st: headers['st'] ?? '', usn: headers['usn'] ?? '', server: headers['server'] ?? '', headers };
}

/** MikroTik's SSDP SERVER header names RouterOS (e.g. "RouterOS/7.x UPnP/1.0 ..."). */
export function looksLikeRouterOs(serverOrManufacturer: string): boolean {
  return /routeros|mikrotik/i.test(serverOrManufacturer);
}
