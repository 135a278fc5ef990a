// XML parsing shared by description and SOAP handling. Entity processing is OFF in the parser so a
// hostile device cannot make us expand DTD entities ("billion laughs"); only the five predefined
// entities and numeric character references (XML 1.0 §4.6, §4.1) are decoded, by hand.
import { XMLParser } from 'fast-xml-parser';

export type XmlNode = { [key: string]: XmlValue };
export type XmlValue = string | number | boolean | XmlNode | XmlValue[] | undefined;

const ARRAY_TAGS = new Set(['device', 'service']);

export function parseXml(xml: string): XmlNode {
  const parser = new XMLParser({
    processEntities: false,
    htmlEntities: false,
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: true,
    isArray: (tagName) => ARRAY_TAGS.has(tagName),
  });
  const parsed: unknown = parser.parse(xml, true);
  if (typeof parsed !== 'object' || parsed === null) throw new Error('not an XML document');
  return parsed as XmlNode;
}

export function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|lt|gt|amp|quot|apos);/g, (_m, ref: string) => {
    if (ref.startsWith('#x')) return String.fromCodePoint(parseInt(ref.slice(2), 16));
    if (ref.startsWith('#')) return String.fromCodePoint(parseInt(ref.slice(1), 10));
    return { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" }[ref] ?? '';
  });
}

export function escapeXmlText(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

export function asNode(value: XmlValue): XmlNode | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value : undefined;
}

export function asList(value: XmlValue): XmlNode[] {
  const items = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return items.map(asNode).filter((n): n is XmlNode => n !== undefined);
}

/** Text of a leaf element, decoded; '' for a missing or empty one. */
export function text(value: XmlValue): string {
  if (typeof value === 'string') return decodeXmlText(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return '';
}

/** Reads a fetch body up to maxBytes; throws 'too-large' beyond (a device must not exhaust memory). */
export async function readLimited(res: Response, maxBytes: number): Promise<string> {
  const declared = Number(res.headers.get('content-length') ?? '0');
  if (declared > maxBytes) throw new RangeError(`body of ${declared} bytes exceeds the ${maxBytes}-byte limit`);
  if (!res.body) return '';
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      throw new RangeError(`body exceeds the ${maxBytes}-byte limit`);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}
