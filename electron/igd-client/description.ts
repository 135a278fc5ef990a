// Root device description (UDA 1.1 §2.3): fetched with size and time limits, then walked for the
// WAN connection service whose controlURL the SOAP actions go to. The control URL must stay on the
// host that served the description (issue 18): otherwise any LAN device answering SSDP could send
// PortPilot's port-mapping requests (and the NAT-PMP target once derived from them) anywhere.
import { IgdError } from './errors';
import { networkFailure, refuseRedirect, routerDescriptionUrl } from './http';
import { looksLikeRouterOs } from './ssdp-codec';
import { asList, asNode, parseXml, readLimited, text, type XmlNode } from './xml';

export type WanServiceKind = 'WANIPConnection' | 'WANPPPConnection';

export interface WanService {
  serviceType: string;
  kind: WanServiceKind;
  version: number;
  controlUrl: string;
}

export interface GatewayDescription {
  location: string;
  deviceType: string;
  /** IGD version of the root device (1 or 2); 0 when the root is not an IGD. */
  igdVersion: number;
  friendlyName: string;
  manufacturer: string;
  modelName: string;
  isRouterOs: boolean;
  service: WanService;
}

/** Preference order: WANIPConnection:2 has AddAnyPortMapping; PPP only when there is no IP service. */
const PREFERRED = [
  'urn:schemas-upnp-org:service:WANIPConnection:2',
  'urn:schemas-upnp-org:service:WANIPConnection:1',
  'urn:schemas-upnp-org:service:WANPPPConnection:1',
];

function collectServices(device: XmlNode, out: { serviceType: string; controlURL: string }[]): void {
  for (const svc of asList(asNode(device['serviceList'])?.['service'])) {
    out.push({ serviceType: text(svc['serviceType']), controlURL: text(svc['controlURL']) });
  }
  for (const child of asList(asNode(device['deviceList'])?.['device'])) collectServices(child, out);
}

/** `192.168.88.1`, `[fe80::1]`: a host as URL.hostname spells it, for comparing. */
function hostnameOf(host: string): string {
  try {
    return new URL(`http://${host.includes(':') && !host.startsWith('[') ? `[${host}]` : host}/`).hostname;
  } catch {
    return host.toLowerCase();
  }
}

export interface ParseDescriptionOptions {
  /** Hosts besides the description's own that control URLs may name (the router's known LAN address). */
  allowedHosts?: readonly string[];
}

function onAllowedHost(url: URL, location: string, opts: ParseDescriptionOptions): boolean {
  const allowed = [new URL(location).hostname, ...(opts.allowedHosts ?? []).map(hostnameOf)];
  return allowed.includes(url.hostname);
}

function foreignHost(what: string, url: URL, location: string): IgdError {
  return new IgdError(
    'foreign-host',
    `the gateway's description at ${location} sends its ${what} to ${url.host}, another host than the one that ` +
      `served it: PortPilot refuses, so that no device on the network can redirect port-mapping requests. If ` +
      `${url.hostname} is your router, use its own description URL (RouterOS: ${routerDescriptionUrl(url.href)}).`,
  );
}

function resolveControlUrl(controlUrl: string, base: string, location: string, opts: ParseDescriptionOptions): string {
  let url: URL;
  try {
    url = new URL(controlUrl, base);
  } catch {
    throw new IgdError('bad-xml', `controlURL "${controlUrl}" is not a valid URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw new IgdError('bad-xml', `controlURL "${controlUrl}" is not http(s)`);
  if (!onAllowedHost(url, location, opts)) throw foreignHost('control requests (controlURL)', url, location);
  return url.toString();
}

/** URLBase (UDA 1.0 §2.1) is where relative URLs point: it may not leave the description's host either. */
function checkedUrlBase(raw: string, location: string, opts: ParseDescriptionOptions): string {
  if (!raw) return location;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new IgdError('bad-xml', `URLBase "${raw}" is not a valid URL`);
  }
  if (!onAllowedHost(url, location, opts)) throw foreignHost('requests (URLBase)', url, location);
  return url.toString();
}

/** Parses a root description; `location` is the URL it came from (base for relative URLs). */
export function parseDescription(
  xml: string,
  location: string,
  opts: ParseDescriptionOptions = {},
): GatewayDescription {
  let doc: XmlNode;
  try {
    doc = parseXml(xml);
  } catch (e) {
    throw new IgdError('bad-xml', `the gateway's description is not valid XML: ${(e as Error).message}`);
  }
  const root = asNode(doc['root']);
  const device = asList(root?.['device'])[0];
  if (!root || !device) throw new IgdError('bad-xml', 'the description has no <root><device>');
  const services: { serviceType: string; controlURL: string }[] = [];
  collectServices(device, services);
  const chosen = PREFERRED.map((t) => services.find((s) => s.serviceType === t)).find((s) => s !== undefined);
  if (!chosen || !chosen.controlURL) {
    throw new IgdError(
      'no-wan-service',
      'the device offers no WANIPConnection or WANPPPConnection service: it is not an Internet gateway, or UPnP is limited on it',
    );
  }
  // URLBase is deprecated since UDA 1.1 but IGD:1 devices still send it; it wins when present (UDA 1.0 §2.1).
  const urlBase = checkedUrlBase(text(root['URLBase']), location, opts);
  const deviceType = text(device['deviceType']);
  const igdMatch = /^urn:schemas-upnp-org:device:InternetGatewayDevice:(\d+)$/.exec(deviceType);
  const manufacturer = text(device['manufacturer']);
  const kind: WanServiceKind = chosen.serviceType.includes('WANPPP') ? 'WANPPPConnection' : 'WANIPConnection';
  return {
    location,
    deviceType,
    igdVersion: igdMatch ? Number(igdMatch[1]) : 0,
    friendlyName: text(device['friendlyName']),
    manufacturer,
    modelName: text(device['modelName']),
    isRouterOs: looksLikeRouterOs(manufacturer) || looksLikeRouterOs(text(device['modelName'])),
    service: {
      serviceType: chosen.serviceType,
      kind,
      version: Number(chosen.serviceType.split(':').pop()),
      controlUrl: resolveControlUrl(chosen.controlURL, urlBase, location, opts),
    },
  };
}

export interface FetchDescriptionOptions extends ParseDescriptionOptions {
  fetch?: typeof fetch;
  timeoutMs?: number;
  maxBytes?: number;
}

/** Fetches and parses a root description: 5 s and 256 KiB by default (real ones are 2–10 KiB). */
export async function fetchDescription(
  location: string,
  opts: FetchDescriptionOptions = {},
): Promise<GatewayDescription> {
  const doFetch = opts.fetch ?? fetch;
  const timeoutMs = opts.timeoutMs ?? 5000;
  let body: string;
  try {
    const res = await doFetch(location, { signal: AbortSignal.timeout(timeoutMs), redirect: 'manual' });
    await refuseRedirect(res, 'the description', location);
    if (!res.ok) {
      await res.body?.cancel();
      throw new IgdError('bad-response', `the description at ${location} answered HTTP ${res.status}`);
    }
    body = await readLimited(res, opts.maxBytes ?? 256 * 1024);
  } catch (e) {
    if (e instanceof IgdError) throw e;
    if (e instanceof RangeError)
      throw new IgdError('too-large', `the description at ${location} is too large: ${e.message}`);
    const err = e as Error;
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw new IgdError('timeout', `the description at ${location} did not arrive within ${timeoutMs} ms`);
    }
    throw networkFailure(err, 'the description', location);
  }
  return parseDescription(body, location, opts);
}
