// Pure NAT-PMP codec (RFC 6886 §3.2–§3.5). Version 0, big-endian.

export const NATPMP_PORT = 5351;
export type NatPmpProtocol = 'udp' | 'tcp';

/** §3.3: opcode 1 maps UDP, 2 maps TCP; a response has opcode 128 + request opcode. */
export const OP_EXTERNAL_ADDRESS = 0;
export function mapOpcode(protocol: NatPmpProtocol): number {
  return protocol === 'udp' ? 1 : 2;
}

export function encodeExternalAddressRequest(): Buffer {
  return Buffer.from([0, OP_EXTERNAL_ADDRESS]);
}

export interface MapRequest {
  protocol: NatPmpProtocol;
  internalPort: number;
  suggestedExternalPort: number;
  lifetime: number;
}

export function encodeMapRequest(r: MapRequest): Buffer {
  const buf = Buffer.alloc(12);
  buf.writeUInt8(0, 0);
  buf.writeUInt8(mapOpcode(r.protocol), 1);
  buf.writeUInt16BE(0, 2); // reserved
  buf.writeUInt16BE(r.internalPort, 4);
  buf.writeUInt16BE(r.suggestedExternalPort, 6);
  buf.writeUInt32BE(r.lifetime, 8);
  return buf;
}

export interface ResponseHeader {
  version: number;
  /** Opcode of the request this answers (128 removed). */
  requestOpcode: number;
  resultCode: number;
  /** Seconds since the gateway's port-mapping table was initialised (§3.6). */
  epoch: number;
}

export interface ExternalAddressResponse extends ResponseHeader {
  externalAddress: string;
}

export interface MapResponse extends ResponseHeader {
  internalPort: number;
  externalPort: number;
  lifetime: number;
}

/** Header of any response, or null for something that is not a version-0 response. A response
 *  with a non-zero result may be just the 8-byte header (§3.5). */
export function decodeHeader(buf: Buffer): ResponseHeader | null {
  if (buf.length < 8) return null;
  const op = buf.readUInt8(1);
  if (buf.readUInt8(0) !== 0 || op < 128) return null;
  return { version: 0, requestOpcode: op - 128, resultCode: buf.readUInt16BE(2), epoch: buf.readUInt32BE(4) };
}

export function decodeExternalAddressResponse(buf: Buffer): ExternalAddressResponse | null {
  const h = decodeHeader(buf);
  if (!h || h.requestOpcode !== OP_EXTERNAL_ADDRESS) return null;
  if (h.resultCode !== 0) return { ...h, externalAddress: '' };
  if (buf.length < 12) return null;
  return { ...h, externalAddress: [...buf.subarray(8, 12)].join('.') };
}

export function decodeMapResponse(buf: Buffer): MapResponse | null {
  const h = decodeHeader(buf);
  if (!h || (h.requestOpcode !== 1 && h.requestOpcode !== 2)) return null;
  if (buf.length < 16) return h.resultCode !== 0 ? { ...h, internalPort: 0, externalPort: 0, lifetime: 0 } : null;
  return {
    ...h,
    internalPort: buf.readUInt16BE(8),
    externalPort: buf.readUInt16BE(10),
    lifetime: buf.readUInt32BE(12),
  };
}

export function encodeExternalAddressResponse(r: {
  resultCode: number;
  epoch: number;
  externalAddress: string;
}): Buffer {
  const buf = Buffer.alloc(12);
  buf.writeUInt8(0, 0);
  buf.writeUInt8(128, 1);
  buf.writeUInt16BE(r.resultCode, 2);
  buf.writeUInt32BE(r.epoch, 4);
  r.externalAddress.split('.').forEach((o, i) => buf.writeUInt8(Number(o) & 255, 8 + i));
  return buf;
}

export function encodeMapResponse(r: {
  protocol: NatPmpProtocol;
  resultCode: number;
  epoch: number;
  internalPort: number;
  externalPort: number;
  lifetime: number;
}): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeUInt8(0, 0);
  buf.writeUInt8(128 + mapOpcode(r.protocol), 1);
  buf.writeUInt16BE(r.resultCode, 2);
  buf.writeUInt32BE(r.epoch, 4);
  buf.writeUInt16BE(r.internalPort, 8);
  buf.writeUInt16BE(r.externalPort, 10);
  buf.writeUInt32BE(r.lifetime, 12);
  return buf;
}
