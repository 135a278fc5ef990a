// Pure STUN message codec (RFC 5389 §6, §15; RFC 5780 §7), apart from any socket. Only the Binding
// method PortPilot needs, but every attribute is framed and checked. The decoder treats every byte
// as untrusted: bounded size, exact lengths, a bounded attribute count, FINGERPRINT verified, and it
// throws nothing but StunDecodeError.
import { crc32 } from 'node:zlib';
import {
  ATTR,
  KNOWN_REQUIRED,
  MAGIC_COOKIE,
  decodeAddress,
  decodeChangeRequest,
  decodeErrorCode,
  decodeResponsePort,
  decodeText,
  decodeUnknownAttributes,
  encodeAddress,
  encodeChangeRequest,
  encodeErrorCode,
  encodeResponsePort,
  encodeUnknownAttributes,
  type TransportAddress,
} from './attributes';
import { StunDecodeError } from './errors';

export { MAGIC_COOKIE, type TransportAddress } from './attributes';

export const BINDING = 0x001;
export const HEADER_BYTES = 20;
export const TRANSACTION_ID_BYTES = 12;
/** Binding answers are a few dozen bytes; RFC 5389 §7.1 keeps UDP messages under the path MTU. A
 *  datagram above this is not an answer to us, whatever it claims. */
export const MAX_MESSAGE_BYTES = 1500;
/** A Binding answer carries fewer than ten attributes; more is garbage or an attack on the parser. */
export const MAX_ATTRIBUTES = 32;
/** FINGERPRINT = CRC-32 of the message before it, XOR 0x5354554e (RFC 5389 §15.5). */
const FINGERPRINT_XOR = 0x5354554e;

export type StunClass = 'request' | 'indication' | 'success' | 'error';
const CLASS_BITS: Record<StunClass, number> = { request: 0, indication: 1, success: 2, error: 3 };
const CLASSES: StunClass[] = ['request', 'indication', 'success', 'error'];

export interface StunAttributes {
  mappedAddress?: TransportAddress;
  xorMappedAddress?: TransportAddress;
  otherAddress?: TransportAddress;
  /** RFC 3489 servers name their alternate address this way (RFC 5780 §7.4: same meaning). */
  changedAddress?: TransportAddress;
  responseOrigin?: TransportAddress;
  changeRequest?: { changeIp: boolean; changePort: boolean };
  /** RFC 5780 §7.5: the port the server must answer to. */
  responsePort?: number;
  errorCode?: { code: number; reason: string };
  unknownAttributes?: number[];
  software?: string;
}

export interface StunMessage {
  method: number;
  cls: StunClass;
  transactionId: Buffer;
  attributes: StunAttributes;
  /** True when the message ended with a FINGERPRINT (always verified by the decoder). */
  fingerprint: boolean;
}

export interface EncodeInput {
  method?: number;
  cls: StunClass;
  transactionId: Uint8Array;
  attributes?: StunAttributes;
  fingerprint?: boolean;
}

/** Message type: method bits M0–M11 with the class bits C0 at bit 4 and C1 at bit 8 (§6, figure 3). */
export function messageType(method: number, cls: StunClass): number {
  const c = CLASS_BITS[cls];
  return (method & 0x000f) | ((method & 0x0070) << 1) | ((method & 0x0f80) << 2) | ((c & 1) << 4) | ((c & 2) << 7);
}

function splitType(type: number): { method: number; cls: StunClass } {
  const method = (type & 0x000f) | ((type >> 1) & 0x0070) | ((type >> 2) & 0x0f80);
  const c = ((type >> 4) & 1) | ((type >> 7) & 2);
  return { method, cls: CLASSES[c] ?? 'request' };
}

function attribute(type: number, value: Buffer): Buffer {
  const padded = Buffer.alloc(4 + Math.ceil(value.length / 4) * 4);
  padded.writeUInt16BE(type, 0);
  padded.writeUInt16BE(value.length, 2);
  value.copy(padded, 4);
  return padded;
}

function encodeAttributes(a: StunAttributes, tid: Uint8Array): Buffer[] {
  const out: Buffer[] = [];
  const addr = (type: number, v: TransportAddress | undefined, xor = false): void => {
    if (v) out.push(attribute(type, encodeAddress(v, xor, tid)));
  };
  addr(ATTR.MAPPED_ADDRESS, a.mappedAddress);
  addr(ATTR.XOR_MAPPED_ADDRESS, a.xorMappedAddress, true);
  if (a.changeRequest) out.push(attribute(ATTR.CHANGE_REQUEST, encodeChangeRequest(a.changeRequest)));
  if (a.responsePort !== undefined) out.push(attribute(ATTR.RESPONSE_PORT, encodeResponsePort(a.responsePort)));
  addr(ATTR.CHANGED_ADDRESS, a.changedAddress);
  if (a.errorCode) out.push(attribute(ATTR.ERROR_CODE, encodeErrorCode(a.errorCode)));
  if (a.unknownAttributes) out.push(attribute(ATTR.UNKNOWN_ATTRIBUTES, encodeUnknownAttributes(a.unknownAttributes)));
  addr(ATTR.RESPONSE_ORIGIN, a.responseOrigin);
  addr(ATTR.OTHER_ADDRESS, a.otherAddress);
  if (a.software !== undefined) out.push(attribute(ATTR.SOFTWARE, Buffer.from(a.software, 'utf8')));
  return out;
}

export function encodeMessage(m: EncodeInput): Buffer {
  if (m.transactionId.length !== TRANSACTION_ID_BYTES)
    throw new RangeError(`a transaction id has ${TRANSACTION_ID_BYTES} bytes, got ${m.transactionId.length}`);
  const body = Buffer.concat(encodeAttributes(m.attributes ?? {}, m.transactionId));
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt16BE(messageType(m.method ?? BINDING, m.cls), 0);
  header.writeUInt16BE(body.length + (m.fingerprint ? 8 : 0), 2);
  header.writeUInt32BE(MAGIC_COOKIE, 4);
  Buffer.from(m.transactionId).copy(header, 8);
  const message = Buffer.concat([header, body]);
  if (!m.fingerprint) return message;
  const fp = Buffer.alloc(4);
  fp.writeUInt32BE((crc32(message) ^ FINGERPRINT_XOR) >>> 0);
  return Buffer.concat([message, attribute(ATTR.FINGERPRINT, fp)]);
}

function checkHeader(buf: Buffer): void {
  if (buf.length < HEADER_BYTES)
    throw new StunDecodeError('too-short', `${buf.length} bytes: a STUN message has at least a 20-byte header`);
  if (buf.length > MAX_MESSAGE_BYTES)
    throw new StunDecodeError('too-long', `${buf.length} bytes: more than the ${MAX_MESSAGE_BYTES} accepted`);
  if ((buf.readUInt8(0) & 0xc0) !== 0 || buf.readUInt32BE(4) !== MAGIC_COOKIE)
    throw new StunDecodeError('not-stun', 'the first two bits are not 0 or the magic cookie is missing (RFC 5389 §6)');
  const length = buf.readUInt16BE(2);
  if (length % 4 !== 0 || length !== buf.length - HEADER_BYTES)
    throw new StunDecodeError(
      'bad-length',
      `the header announces ${length} bytes of attributes but ${buf.length - HEADER_BYTES} follow (must be equal and a multiple of 4)`,
    );
}

type Parser = (v: Buffer, into: StunAttributes, tid: Buffer) => void;
const PARSERS: Record<number, Parser> = {
  [ATTR.MAPPED_ADDRESS]: (v, a, t) => (a.mappedAddress = decodeAddress(v, false, t, 'MAPPED-ADDRESS')),
  [ATTR.XOR_MAPPED_ADDRESS]: (v, a, t) => (a.xorMappedAddress = decodeAddress(v, true, t, 'XOR-MAPPED-ADDRESS')),
  [ATTR.OTHER_ADDRESS]: (v, a, t) => (a.otherAddress = decodeAddress(v, false, t, 'OTHER-ADDRESS')),
  [ATTR.CHANGED_ADDRESS]: (v, a, t) => (a.changedAddress = decodeAddress(v, false, t, 'CHANGED-ADDRESS')),
  [ATTR.RESPONSE_ORIGIN]: (v, a, t) => (a.responseOrigin = decodeAddress(v, false, t, 'RESPONSE-ORIGIN')),
  [ATTR.CHANGE_REQUEST]: (v, a) => (a.changeRequest = decodeChangeRequest(v)),
  [ATTR.RESPONSE_PORT]: (v, a) => (a.responsePort = decodeResponsePort(v)),
  [ATTR.ERROR_CODE]: (v, a) => (a.errorCode = decodeErrorCode(v)),
  [ATTR.UNKNOWN_ATTRIBUTES]: (v, a) => (a.unknownAttributes = decodeUnknownAttributes(v)),
  [ATTR.SOFTWARE]: (v, a) => (a.software = decodeText(v, 'SOFTWARE')),
};

function checkFingerprint(buf: Buffer, at: number, value: Buffer): void {
  if (value.length !== 4) throw new StunDecodeError('bad-attribute', `FINGERPRINT has ${value.length} bytes, not 4`);
  if (at + 8 !== buf.length)
    throw new StunDecodeError('bad-fingerprint', 'FINGERPRINT is not the last attribute (RFC 5389 §15.5)');
  if ((crc32(buf.subarray(0, at)) ^ FINGERPRINT_XOR) >>> 0 !== value.readUInt32BE(0))
    throw new StunDecodeError(
      'bad-fingerprint',
      'FINGERPRINT does not match the message: it was altered or is not STUN',
    );
}

/** Decodes one datagram. Throws StunDecodeError for anything that is not a well-formed message. */
export function decodeMessage(buf: Buffer): StunMessage {
  checkHeader(buf);
  const transactionId = Buffer.from(buf.subarray(8, HEADER_BYTES));
  const attributes: StunAttributes = {};
  const seen = new Set<number>();
  let fingerprint = false;
  let at = HEADER_BYTES;
  for (let count = 0; at < buf.length; count++) {
    if (count >= MAX_ATTRIBUTES)
      throw new StunDecodeError('too-many-attributes', `more than ${MAX_ATTRIBUTES} attributes`);
    if (at + 4 > buf.length) throw new StunDecodeError('bad-attribute', `attribute header cut off at byte ${at}`);
    const type = buf.readUInt16BE(at);
    const length = buf.readUInt16BE(at + 2);
    const end = at + 4 + Math.ceil(length / 4) * 4;
    if (end > buf.length)
      throw new StunDecodeError(
        'bad-attribute',
        `attribute 0x${type.toString(16)} claims ${length} bytes past the end`,
      );
    const value = buf.subarray(at + 4, at + 4 + length);
    if (type === ATTR.FINGERPRINT) {
      checkFingerprint(buf, at, value);
      fingerprint = true;
    } else if (type < 0x8000 && !KNOWN_REQUIRED.has(type)) {
      throw new StunDecodeError(
        'unknown-required-attribute',
        `comprehension-required attribute 0x${type.toString(16).padStart(4, '0')} is unknown: the message must be discarded (RFC 5389 §7.3)`,
      );
    } else if (!seen.has(type)) {
      // Only the first occurrence of an attribute counts (RFC 5389 §15).
      seen.add(type);
      PARSERS[type]?.(value, attributes, transactionId);
    }
    at = end;
  }
  return { ...splitType(buf.readUInt16BE(0)), transactionId, attributes, fingerprint };
}

/** The address the server saw us at: XOR-MAPPED-ADDRESS, or MAPPED-ADDRESS from an RFC 3489
 *  server (RFC 5389 §12.2 backwards compatibility). */
export function mappedAddressOf(m: StunMessage): TransportAddress | undefined {
  return m.attributes.xorMappedAddress ?? m.attributes.mappedAddress;
}

/** The server's alternate address: OTHER-ADDRESS, or CHANGED-ADDRESS from an RFC 3489 server. */
export function otherAddressOf(m: StunMessage): TransportAddress | undefined {
  return m.attributes.otherAddress ?? m.attributes.changedAddress;
}
