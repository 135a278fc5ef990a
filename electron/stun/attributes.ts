// STUN attribute values (RFC 5389 §15, RFC 5780 §7): one encoder and one strict decoder per kind.
// Decoders get the value bytes of one attribute, already bounded by its length field, and throw only
// StunDecodeError.
import { StunDecodeError } from './errors';

export const MAGIC_COOKIE = 0x2112a442;

/** Attribute types PortPilot reads or writes. */
export const ATTR = {
  MAPPED_ADDRESS: 0x0001,
  CHANGE_REQUEST: 0x0003,
  /** RFC 3489's name for what RFC 5780 calls OTHER-ADDRESS (same format, RFC 5780 §7.4). */
  CHANGED_ADDRESS: 0x0005,
  ERROR_CODE: 0x0009,
  UNKNOWN_ATTRIBUTES: 0x000a,
  XOR_MAPPED_ADDRESS: 0x0020,
  /** RFC 5780 §7.5: answer to this port (at the request's source address). */
  RESPONSE_PORT: 0x0027,
  SOFTWARE: 0x8022,
  FINGERPRINT: 0x8028,
  RESPONSE_ORIGIN: 0x802b,
  OTHER_ADDRESS: 0x802c,
} as const;

/** Comprehension-required types (< 0x8000) that may appear in an answer and that this client may
 *  ignore: authentication (USERNAME 0x0006, MESSAGE-INTEGRITY 0x0008, REALM 0x0014, NONCE 0x0015),
 *  RFC 3489's SOURCE-ADDRESS 0x0004 and RFC 5780's PADDING 0x0026 / RESPONSE-PORT 0x0027. Any other
 *  one makes the answer unusable (RFC 5389 §7.3.3: "the response MUST be discarded"). */
export const KNOWN_REQUIRED = new Set<number>([
  ATTR.MAPPED_ADDRESS,
  ATTR.CHANGE_REQUEST,
  0x0004,
  ATTR.CHANGED_ADDRESS,
  0x0006,
  0x0008,
  ATTR.ERROR_CODE,
  ATTR.UNKNOWN_ATTRIBUTES,
  0x0014,
  0x0015,
  ATTR.XOR_MAPPED_ADDRESS,
  0x0026,
  ATTR.RESPONSE_PORT,
]);

export interface TransportAddress {
  family: 4 | 6;
  address: string;
  port: number;
}

/** SOFTWARE and the ERROR-CODE reason: "MUST be less than 128 characters (which can be as long as
 *  763 bytes)" (RFC 5389 §15.6, §15.10). */
export const MAX_TEXT_BYTES = 763;

function ipv4ToBytes(address: string): Buffer {
  const parts = address.split('.');
  const octets = parts.map((p) => (/^\d{1,3}$/.test(p) ? Number(p) : NaN));
  if (octets.length !== 4 || octets.some((o) => !(o >= 0 && o <= 255)))
    throw new StunDecodeError('bad-address', `"${address}" is not an IPv4 address`);
  return Buffer.from(octets);
}

function ipv6ToBytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (s: string): string[] => (s ? s.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(fill, 0)).fill('0'), ...right];
  if (all.length !== 8 || all.some((g) => !/^[0-9a-f]{1,4}$/i.test(g)))
    throw new StunDecodeError('bad-address', `"${address}" is not an IPv6 address`);
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}

function bytesToAddress(bytes: Buffer, family: 4 | 6): string {
  if (family === 4) return [...bytes].join('.');
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(bytes.readUInt16BE(i).toString(16));
  return groups.join(':');
}

/** The 16 bytes an IPv6 XOR-MAPPED-ADDRESS is XORed with: magic cookie then transaction id (§15.2). */
function xorKey(transactionId: Uint8Array, length: number): Buffer {
  const key = Buffer.alloc(16);
  key.writeUInt32BE(MAGIC_COOKIE, 0);
  Buffer.from(transactionId).copy(key, 4);
  return key.subarray(0, length);
}

export function encodeAddress(a: TransportAddress, xor: boolean, transactionId: Uint8Array): Buffer {
  const raw = a.family === 4 ? ipv4ToBytes(a.address) : ipv6ToBytes(a.address);
  const out = Buffer.alloc(4 + raw.length);
  out.writeUInt8(a.family === 4 ? 0x01 : 0x02, 1);
  out.writeUInt16BE(xor ? a.port ^ (MAGIC_COOKIE >>> 16) : a.port, 2);
  const key = xorKey(transactionId, raw.length);
  for (let i = 0; i < raw.length; i++) out[4 + i] = xor ? (raw[i] ?? 0) ^ (key[i] ?? 0) : (raw[i] ?? 0);
  return out;
}

/** MAPPED-ADDRESS format (RFC 5389 §15.1): reserved, family 0x01/0x02, port, 4 or 16 address bytes. */
export function decodeAddress(v: Buffer, xor: boolean, transactionId: Uint8Array, name: string): TransportAddress {
  const family = v.length >= 2 ? v.readUInt8(1) : 0;
  const size = family === 0x01 ? 4 : family === 0x02 ? 16 : 0;
  if (size === 0 || v.length !== 4 + size)
    throw new StunDecodeError(
      'bad-address',
      `${name} has family ${family} and ${v.length} bytes: expected family 1 (IPv4, 8 bytes) or 2 (IPv6, 20 bytes)`,
    );
  const key = xorKey(transactionId, size);
  const raw = Buffer.alloc(size);
  for (let i = 0; i < size; i++) raw[i] = xor ? (v[4 + i] ?? 0) ^ (key[i] ?? 0) : (v[4 + i] ?? 0);
  const port = v.readUInt16BE(2) ^ (xor ? MAGIC_COOKIE >>> 16 : 0);
  const fam = family === 0x01 ? 4 : 6;
  return { family: fam, address: bytesToAddress(raw, fam), port };
}

/** CHANGE-REQUEST (RFC 5780 §7.2): flag A (0x04) change IP, flag B (0x02) change port. */
export function encodeChangeRequest(c: { changeIp: boolean; changePort: boolean }): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32BE((c.changeIp ? 0x04 : 0) | (c.changePort ? 0x02 : 0));
  return out;
}

export function decodeChangeRequest(v: Buffer): { changeIp: boolean; changePort: boolean } {
  if (v.length !== 4) throw new StunDecodeError('bad-attribute', `CHANGE-REQUEST has ${v.length} bytes, not 4`);
  const flags = v.readUInt32BE(0);
  return { changeIp: (flags & 0x04) !== 0, changePort: (flags & 0x02) !== 0 };
}

/** ERROR-CODE (RFC 5389 §15.6): class 3–6 in bits 8–10, number 0–99, then a UTF-8 reason. */
export function encodeErrorCode(e: { code: number; reason: string }): Buffer {
  const reason = Buffer.from(e.reason, 'utf8');
  const out = Buffer.alloc(4 + reason.length);
  out.writeUInt8(Math.floor(e.code / 100) & 0x07, 2);
  out.writeUInt8(e.code % 100, 3);
  reason.copy(out, 4);
  return out;
}

export function decodeErrorCode(v: Buffer): { code: number; reason: string } {
  if (v.length < 4 || v.length > 4 + MAX_TEXT_BYTES)
    throw new StunDecodeError('bad-attribute', `ERROR-CODE has ${v.length} bytes (4 to ${4 + MAX_TEXT_BYTES} allowed)`);
  const cls = v.readUInt8(2) & 0x07;
  const number = v.readUInt8(3);
  if (cls < 3 || cls > 6 || number > 99)
    throw new StunDecodeError('bad-attribute', `ERROR-CODE class ${cls} number ${number} is outside 300–699`);
  return { code: cls * 100 + number, reason: v.subarray(4).toString('utf8') };
}

export function decodeText(v: Buffer, name: string): string {
  if (v.length > MAX_TEXT_BYTES)
    throw new StunDecodeError('bad-attribute', `${name} has ${v.length} bytes (at most ${MAX_TEXT_BYTES})`);
  return v.toString('utf8');
}

export function decodeUnknownAttributes(v: Buffer): number[] {
  if (v.length % 2 !== 0)
    throw new StunDecodeError('bad-attribute', `UNKNOWN-ATTRIBUTES has an odd length (${v.length})`);
  const out: number[] = [];
  for (let i = 0; i < v.length; i += 2) out.push(v.readUInt16BE(i));
  return out;
}

export function encodeUnknownAttributes(types: number[]): Buffer {
  const out = Buffer.alloc(types.length * 2);
  types.forEach((t, i) => out.writeUInt16BE(t, i * 2));
  return out;
}

/** RESPONSE-PORT (RFC 5780 §7.5): "a 16-bit unsigned integer … followed by 2 bytes of padding".
 *  Written with length 2 (the padding is the attribute's own, as STUNTMAN does); coturn writes 4, so
 *  both are read. */
export function encodeResponsePort(port: number): Buffer {
  const out = Buffer.alloc(2);
  out.writeUInt16BE(port, 0);
  return out;
}

export function decodeResponsePort(v: Buffer): number {
  if (v.length !== 2 && v.length !== 4)
    throw new StunDecodeError('bad-attribute', `RESPONSE-PORT has ${v.length} bytes, not 2 or 4`);
  return v.readUInt16BE(0);
}
