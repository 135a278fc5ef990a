/**
 * SOAP 1.1 envelope codec for UPnP control (UDA 1.0 §3.2): parses an action request into
 * service type, action name and string arguments; builds action responses and UPnPError
 * faults. Pure: no sockets, no device state.
 */
import { XMLParser } from 'fast-xml-parser';
import { IgdSoapFault } from './errors';
import { element, unescapeXml } from './xml';

export interface SoapRequest {
  /** From the SOAPAction header, e.g. urn:schemas-upnp-org:service:WANIPConnection:1 ('' when absent). */
  serviceType: string;
  action: string;
  args: Record<string, string>;
}

const ENVELOPE_NS = 'http://schemas.xmlsoap.org/soap/envelope/';
const ENCODING = 'http://schemas.xmlsoap.org/soap/encoding/';

// processEntities off: no DOCTYPE entity expansion (XXE, billion laughs); the five predefined
// entities are decoded by unescapeXml. parseTagValue off keeps "08080" and "" as strings.
const parser = new XMLParser({
  ignoreAttributes: true,
  removeNSPrefix: true,
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  trimValues: true,
});

/** `"urn:…:service:WANIPConnection:1#AddPortMapping"` (quotes optional) → its two halves. */
export function parseSoapAction(header: string | undefined): { serviceType: string; action: string } | undefined {
  if (!header) return undefined;
  const value = header.trim().replace(/^"(.*)"$/, '$1');
  const hash = value.lastIndexOf('#');
  if (hash <= 0 || hash === value.length - 1) return undefined;
  return { serviceType: value.slice(0, hash), action: value.slice(hash + 1) };
}

type Node = Record<string, unknown>;
const isNode = (x: unknown): x is Node => typeof x === 'object' && x !== null && !Array.isArray(x);

function bodyOf(xml: string): Node {
  if (/<!DOCTYPE|<!ENTITY/i.test(xml)) throw new IgdSoapFault(402, 'DOCTYPE is not allowed in SOAP (SOAP 1.1 §3)');
  let doc: unknown;
  try {
    doc = parser.parse(xml, true);
  } catch (error) {
    throw new IgdSoapFault(401, `malformed SOAP envelope: ${(error as Error).message}`);
  }
  const envelope = isNode(doc) ? doc.Envelope : undefined;
  const body = isNode(envelope) ? envelope.Body : undefined;
  if (!isNode(body)) throw new IgdSoapFault(401, 'no SOAP Envelope/Body');
  return body;
}

function argsOf(action: string, node: unknown): Record<string, string> {
  if (node === '' || node === undefined) return {};
  if (!isNode(node)) throw new IgdSoapFault(402, `${action}: arguments are not elements`);
  const args: Record<string, string> = {};
  for (const [name, value] of Object.entries(node)) {
    if (typeof value !== 'string') throw new IgdSoapFault(402, `${action}: argument ${name} is not a simple value`);
    args[name] = unescapeXml(value);
  }
  return args;
}

/**
 * The SOAPAction header names the action (UDA 1.0 §3.2.1); the body element must agree.
 * Without the header the body element alone is used, as lenient devices do.
 */
export function parseSoapRequest(xml: string, soapActionHeader: string | undefined): SoapRequest {
  const body = bodyOf(xml);
  const fromHeader = parseSoapAction(soapActionHeader);
  const names = Object.keys(body);
  if (names.length !== 1) throw new IgdSoapFault(401, `SOAP Body must hold one action, found ${names.length}`);
  const action = names[0] as string;
  if (fromHeader && fromHeader.action !== action) {
    throw new IgdSoapFault(401, `SOAPAction ${fromHeader.action} does not match body element ${action}`);
  }
  return { serviceType: fromHeader?.serviceType ?? '', action, args: argsOf(action, body[action]) };
}

function envelope(inner: string): string {
  return (
    '<?xml version="1.0"?>\r\n' +
    `<s:Envelope xmlns:s="${ENVELOPE_NS}" s:encodingStyle="${ENCODING}"><s:Body>${inner}</s:Body></s:Envelope>\r\n`
  );
}

/** A value sent as a CDATA section instead of entity-escaped text. */
export interface Cdata {
  cdata: string;
}

export type OutValue = string | number | Cdata;

function outArg(name: string, value: OutValue): string {
  if (typeof value !== 'object') return element(name, value);
  // "]]>" cannot occur inside a CDATA section: split it across two sections.
  return `<${name}><![CDATA[${value.cdata.replace(/]]>/g, ']]]]><![CDATA[>')}]]></${name}>`;
}

export function buildSoapResponse(serviceType: string, action: string, out: [string, OutValue][]): string {
  const args = out.map(([name, value]) => outArg(name, value)).join('');
  return envelope(`<u:${action}Response xmlns:u="${serviceType}">${args}</u:${action}Response>`);
}

/** UDA 1.0 §3.2.2: faultcode s:Client, faultstring UPnPError, detail/UPnPError with code and description. */
export function buildSoapFault(fault: IgdSoapFault): string {
  return envelope(
    '<s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail>' +
      '<UPnPError xmlns="urn:schemas-upnp-org:control-1-0">' +
      element('errorCode', fault.code) +
      element('errorDescription', fault.description) +
      '</UPnPError></detail></s:Fault>',
  );
}
