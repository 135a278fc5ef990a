import { describe, expect, it } from 'vitest';
import { XMLParser } from 'fast-xml-parser';
import { IgdSoapFault } from './errors';
import { buildSoapFault, buildSoapResponse, parseSoapAction, parseSoapRequest } from './soap';
import { WANIP1, soapEnvelope } from './testing/soap-client';

function faultCode(fn: () => unknown): number | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof IgdSoapFault) return error.code;
    throw error;
  }
  return undefined;
}

describe('parseSoapAction', () => {
  it('accepts quoted and bare headers', () => {
    expect(parseSoapAction(`"${WANIP1}#AddPortMapping"`)).toEqual({ serviceType: WANIP1, action: 'AddPortMapping' });
    expect(parseSoapAction(`${WANIP1}#GetStatusInfo`)).toEqual({ serviceType: WANIP1, action: 'GetStatusInfo' });
  });
  it('rejects headers without an action', () => {
    expect(parseSoapAction(undefined)).toBeUndefined();
    expect(parseSoapAction('"#"')).toBeUndefined();
    expect(parseSoapAction(`"${WANIP1}#"`)).toBeUndefined();
  });
});

describe('parseSoapRequest', () => {
  it('extracts action and string arguments, keeping leading zeros and empty values', () => {
    const xml = soapEnvelope(WANIP1, 'AddPortMapping', {
      NewRemoteHost: '',
      NewExternalPort: '08080',
      NewPortMappingDescription: 'a & b <c>',
    });
    const req = parseSoapRequest(xml, `"${WANIP1}#AddPortMapping"`);
    expect(req).toEqual({
      serviceType: WANIP1,
      action: 'AddPortMapping',
      args: { NewRemoteHost: '', NewExternalPort: '08080', NewPortMappingDescription: 'a & b <c>' },
    });
  });
  it('decodes numeric character references but expands no DOCTYPE entities', () => {
    const xml = soapEnvelope(WANIP1, 'X', {})
      .replace('<u:X xmlns', '<u:X xmlns')
      .replace('></u:X>', '><D>&#65;&#x42;&amp;lt;</D></u:X>');
    expect(parseSoapRequest(xml, undefined).args.D).toBe('AB&lt;');
    const evil = `<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaa">]>${soapEnvelope(WANIP1, 'X', { D: '&a;' })}`;
    expect(faultCode(() => parseSoapRequest(evil, undefined))).toBe(402);
  });
  it('takes the action from the body when the header is missing', () => {
    expect(parseSoapRequest(soapEnvelope(WANIP1, 'GetStatusInfo', {}), undefined).action).toBe('GetStatusInfo');
  });
  it('refuses a header that contradicts the body (401)', () => {
    expect(
      faultCode(() => parseSoapRequest(soapEnvelope(WANIP1, 'GetStatusInfo', {}), `"${WANIP1}#AddPortMapping"`)),
    ).toBe(401);
  });
  it('refuses malformed envelopes and nested arguments', () => {
    expect(faultCode(() => parseSoapRequest('<nope', undefined))).toBe(401);
    expect(faultCode(() => parseSoapRequest('<a/>', undefined))).toBe(401);
    const nested = soapEnvelope(WANIP1, 'X', {}).replace('></u:X>', '><A><B>1</B></A></u:X>');
    expect(faultCode(() => parseSoapRequest(nested, undefined))).toBe(402);
  });
});

describe('response and fault builders', () => {
  const parser = new XMLParser({ removeNSPrefix: true, parseTagValue: false });
  it('builds a response a parser reads back, escaping values', () => {
    const xml = buildSoapResponse(WANIP1, 'GetExternalIPAddress', [
      ['NewExternalIPAddress', '1.2.3.4'],
      ['X', '<&>'],
    ]);
    const out = parser.parse(xml).Envelope.Body.GetExternalIPAddressResponse;
    expect(out).toEqual({ NewExternalIPAddress: '1.2.3.4', X: '<&>' });
    expect(xml).toContain(`xmlns:u="${WANIP1}"`);
  });
  it('sends CDATA values that parse back to the same text, even with "]]>" inside', () => {
    const text = '<p:List><p:D>a]]>b &amp; c</p:D></p:List>';
    const xml = buildSoapResponse(WANIP1, 'GetListOfPortMappings', [['NewPortListing', { cdata: text }]]);
    expect(xml).toContain('<NewPortListing><![CDATA[<p:List>');
    expect(parser.parse(xml).Envelope.Body.GetListOfPortMappingsResponse.NewPortListing).toBe(text);
  });
  it('builds the UDA UPnPError fault', () => {
    const xml = buildSoapFault(new IgdSoapFault(725));
    const fault = parser.parse(xml).Envelope.Body.Fault;
    expect(fault.faultcode).toBe('s:Client');
    expect(fault.faultstring).toBe('UPnPError');
    expect(fault.detail.UPnPError).toEqual({ errorCode: '725', errorDescription: 'OnlyPermanentLeasesSupported' });
  });
});
