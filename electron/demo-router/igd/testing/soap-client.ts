/** A small independent SOAP client for the IGD face tests: fetch + fast-xml-parser. */
import { XMLParser } from 'fast-xml-parser';

export interface SoapCallResult {
  status: number;
  contentType: string | null;
  body: string;
  /** Response arguments (element name → text), empty on faults. */
  out: Record<string, string>;
  fault?: { code: number; description: string };
}

const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false, ignoreAttributes: true });

type Node = Record<string, unknown>;
const node = (x: unknown): Node => (typeof x === 'object' && x !== null ? (x as Node) : {});

export function soapEnvelope(serviceType: string, action: string, args: Record<string, string | number>): string {
  const inner = Object.entries(args)
    .map(([k, v]) => `<${k}>${String(v).replace(/&/g, '&amp;').replace(/</g, '&lt;')}</${k}>`)
    .join('');
  return (
    '<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" ' +
    's:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"><s:Body>' +
    `<u:${action} xmlns:u="${serviceType}">${inner}</u:${action}></s:Body></s:Envelope>`
  );
}

export async function soapCall(
  controlUrl: string,
  serviceType: string,
  action: string,
  args: Record<string, string | number> = {},
): Promise<SoapCallResult> {
  const res = await fetch(controlUrl, {
    method: 'POST',
    headers: { 'Content-Type': 'text/xml; charset="utf-8"', SOAPAction: `"${serviceType}#${action}"` },
    body: soapEnvelope(serviceType, action, args),
  });
  const body = await res.text();
  const parsed = node(node(node(parser.parse(body)).Envelope).Body);
  const fault = node(node(node(parsed.Fault).detail).UPnPError);
  const result: SoapCallResult = { status: res.status, contentType: res.headers.get('content-type'), body, out: {} };
  if (fault.errorCode !== undefined) {
    result.fault = { code: Number(fault.errorCode), description: String(fault.errorDescription) };
    return result;
  }
  const response = node(parsed[`${action}Response`]);
  for (const [k, v] of Object.entries(response)) result.out[k] = typeof v === 'string' ? v : '';
  return result;
}

export const WANIP1 = 'urn:schemas-upnp-org:service:WANIPConnection:1';
export const WANIP2 = 'urn:schemas-upnp-org:service:WANIPConnection:2';

export function addArgs(over: Partial<Record<string, string | number>> = {}): Record<string, string | number> {
  const base: Record<string, string | number> = {
    NewRemoteHost: '',
    NewExternalPort: 40000,
    NewProtocol: 'TCP',
    NewInternalPort: 40000,
    NewInternalClient: '127.0.0.1',
    NewEnabled: 1,
    NewPortMappingDescription: 'test',
    NewLeaseDuration: 0,
  };
  for (const [k, v] of Object.entries(over)) if (v !== undefined) base[k] = v;
  return base;
}
