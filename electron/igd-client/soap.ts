// SOAP 1.1 control messages (UDA 1.1 §3.2): envelope building, response and fault parsing, and the
// HTTP POST that carries them.
import { IgdError, IgdHttpError, IgdSoapFault } from './errors';
import { isRedirect, networkFailure, redirectRefused } from './http';
import { asNode, escapeXmlText, parseXml, readLimited, text, type XmlNode } from './xml';

/** Arguments in the order the service description lists them; UDA 1.1 §3.2.1 requires that order. */
export type SoapArgs = readonly (readonly [name: string, value: string | number])[];

export function buildSoapEnvelope(serviceType: string, action: string, args: SoapArgs): string {
  const body = args.map(([name, value]) => `<${name}>${escapeXmlText(String(value))}</${name}>`).join('');
  return (
    '<?xml version="1.0"?>\r\n' +
    '<s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/" s:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/">' +
    `<s:Body><u:${action} xmlns:u="${escapeXmlText(serviceType)}">${body}</u:${action}></s:Body></s:Envelope>\r\n`
  );
}

function soapBody(xml: string): XmlNode | undefined {
  try {
    return asNode(asNode(parseXml(xml)['Envelope'])?.['Body']);
  } catch {
    return undefined;
  }
}

/**
 * The UPnPError inside a SOAP fault (UDA 1.1 §3.2.2), or null when the body is not one. UPnP error
 * codes are 3-digit (4xx/6xx/7xx, UDA 1.1 Table 3-3 and the service specs) or vendor 8xx-9xx: anything
 * but 3-4 digits ("1e+23", "-1", "0x2d6") is no UPnP fault and is reported as the HTTP error it came in.
 */
export function parseSoapFault(xml: string): { code: number; description: string } | null {
  const fault = asNode(soapBody(xml)?.['Fault']);
  const upnp = asNode(asNode(fault?.['detail'])?.['UPnPError']);
  const raw = text(upnp?.['errorCode']);
  if (!upnp || !/^\d{3,4}$/.test(raw)) return null;
  return { code: Number(raw), description: text(upnp['errorDescription']).slice(0, 200) };
}

/** Output arguments of `<action>Response`, as strings (the caller converts per the service's types). */
export function parseSoapResponse(xml: string, action: string): Record<string, string> {
  const body = soapBody(xml);
  const key = `${action}Response`;
  // An action without output arguments answers an empty element, which the parser gives as ''.
  if (body && body[key] === '') return {};
  const response = asNode(body?.[key]);
  if (!response) throw new IgdError('bad-response', `the router's answer to ${action} has no ${action}Response`);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(response)) out[k] = text(v);
  return out;
}

/** One SOAP POST as soap.ts needs it: where, what, a deadline, and how much of the answer to read. */
export interface SoapRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  maxBytes: number;
}

/** The answer; a 3xx is reported with its Location and never followed (http.ts). */
export interface SoapReply {
  status: number;
  location: string | null;
  body: string;
}

/**
 * Carries one SOAP request. Rejects with a RangeError beyond `maxBytes`, an error named TimeoutError
 * past the deadline, anything else for a network failure. Default: `fetch`; the cleanup's bulk
 * restore uses keepAliveFetch's `post` (keep-alive-fetch.ts).
 */
export type SoapTransport = (req: SoapRequest) => Promise<SoapReply>;

export function fetchTransport(doFetch: typeof fetch = fetch): SoapTransport {
  return async (req) => {
    const res = await doFetch(req.url, {
      method: 'POST',
      headers: req.headers,
      body: req.body,
      signal: AbortSignal.timeout(req.timeoutMs),
      redirect: 'manual',
    });
    if (isRedirect(res.status)) {
      await res.body?.cancel().catch(() => undefined);
      return { status: res.status, location: res.headers.get('location'), body: '' };
    }
    return { status: res.status, location: null, body: await readLimited(res, req.maxBytes) };
  };
}

export interface SoapCallOptions {
  controlUrl: string;
  serviceType: string;
  action: string;
  args?: SoapArgs;
  fetch?: typeof fetch;
  /** Takes precedence over `fetch`. */
  transport?: SoapTransport;
  timeoutMs?: number;
  maxBytes?: number;
  /**
   * false: the caller needs no output arguments (AddPortMapping, DeletePortMapping answer none), so a
   * 2xx answer is not parsed — a restore sends thousands of these (issue 11). Faults are always parsed.
   */
  outputs?: boolean;
}

async function post(opts: SoapCallOptions): Promise<{ status: number; body: string }> {
  const send = opts.transport ?? fetchTransport(opts.fetch);
  const timeoutMs = opts.timeoutMs ?? 5000;
  try {
    const reply = await send({
      url: opts.controlUrl,
      headers: {
        'Content-Type': 'text/xml; charset="utf-8"',
        SOAPAction: `"${opts.serviceType}#${opts.action}"`,
      },
      body: buildSoapEnvelope(opts.serviceType, opts.action, opts.args ?? []),
      timeoutMs,
      maxBytes: opts.maxBytes ?? 64 * 1024,
    });
    if (isRedirect(reply.status))
      throw redirectRefused(reply.status, reply.location, `the control URL of ${opts.action}`, opts.controlUrl);
    return reply;
  } catch (e) {
    const err = e as Error;
    if (err instanceof IgdError) throw err;
    if (err instanceof RangeError) throw new IgdError('too-large', `${opts.action}: ${err.message}`);
    if (err.name === 'TimeoutError' || err.name === 'AbortError') {
      throw new IgdError('timeout', `${opts.action}: the router did not answer within ${timeoutMs} ms`);
    }
    throw networkFailure(err, `the control URL of ${opts.action}`, opts.controlUrl);
  }
}

/** Invokes one action; a UPnP fault becomes IgdSoapFault, any other HTTP error IgdHttpError. */
export async function soapCall(opts: SoapCallOptions): Promise<Record<string, string>> {
  const { status, body } = await post(opts);
  if (status >= 200 && status < 300) return opts.outputs === false ? {} : parseSoapResponse(body, opts.action);
  const fault = parseSoapFault(body);
  if (fault) throw new IgdSoapFault(fault.code, fault.description, opts.action);
  throw new IgdHttpError(
    status,
    opts.controlUrl,
    `${opts.action} got no SOAP fault in the answer (${body.slice(0, 120).trim() || 'empty body'})`,
  );
}
