/**
 * NAT-PMP wire codec (RFC 6886 §3), both directions: PortPilot's client (electron/igd-client/natpmp.ts)
 * encodes requests and decodes responses; the demo router (electron/demo-router/natpmp/handler.ts)
 * decodes requests and encodes responses. Pure, version 0, every field big-endian. Decoders take
 * untrusted datagrams: they read only fixed offsets after checking the length, the version and the
 * opcode, and answer `undefined` / `ignore` rather than throw.
 */
import { ipv4ToInt } from '../net/ipv4';

export const NATPMP_PORT = 5351;
export const NATPMP_VERSION = 0;
/** §3.2: a response carries the request's opcode + 128. */
const RESPONSE_BIT = 128;
const OP_EXTERNAL_ADDRESS = 0;

export type NatPmpProtocol = 'udp' | 'tcp';

/** RFC 6886 §3.5 result codes. */
export const ResultCode = {
  Success: 0,
  UnsupportedVersion: 1,
  NotAuthorized: 2,
  NetworkFailure: 3,
  OutOfResources: 4,
  UnsupportedOpcode: 5,
} as const;
export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

/** §3.3: opcode 1 maps UDP, 2 maps TCP. */
export const mapOpcode = (protocol: NatPmpProtocol): 1 | 2 => (protocol === 'udp' ? 1 : 2);
const protocolOf = (opcode: 1 | 2): NatPmpProtocol => (opcode === 1 ? 'udp' : 'tcp');
const isMapOpcode = (opcode: number): opcode is 1 | 2 => opcode === 1 || opcode === 2;

// ---- Requests: the client encodes, the gateway decodes. ----

/** §3.3 (and §3.4: lifetime 0 with suggested port 0 deletes). Lifetime in seconds. */
export interface MapRequest {
  protocol: NatPmpProtocol;
  internalPort: number;
  suggestedExternalPort: number;
  lifetimeSeconds: number;
}

export type NatPmpRequest =
  | { kind: 'external-address' }
  | ({ kind: 'map' } & MapRequest)
  /** Version ≠ 0: answer result 1 (§3.5). */
  | { kind: 'unsupported-version'; opcode: number }
  /** Opcode ≥ 3 and < 128: answer result 5 (§3.5). */
  | { kind: 'unsupported-opcode'; opcode: number };

/**
 * Why a datagram gets no answer at all: a response (opcode ≥ 128) is silently ignored (§3.5),
 * and a datagram too short to hold its request format carries no fields to answer with
 * (§3.2 request is 2 bytes, §3.3 request is 12 bytes). RFC 6886 gives no result code for a
 * truncated request; miniupnpd's natpmp.c discards the same packets, so the demo does too.
 */
export type IgnoreReason = 'too-short' | 'is-response';

/** §3.2: 2 bytes, version and opcode 0. */
export function encodeExternalAddressRequest(): Buffer {
  return Buffer.from([NATPMP_VERSION, OP_EXTERNAL_ADDRESS]);
}

/** §3.3: 12 bytes. Out-of-range numbers throw a RangeError (Buffer's write checks). */
export function encodeMapRequest(r: MapRequest): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt8(NATPMP_VERSION, 0);
  bytes.writeUInt8(mapOpcode(r.protocol), 1);
  bytes.writeUInt16BE(0, 2); // reserved
  bytes.writeUInt16BE(r.internalPort, 4);
  bytes.writeUInt16BE(r.suggestedExternalPort, 6);
  bytes.writeUInt32BE(r.lifetimeSeconds, 8);
  return bytes;
}

export function decodeRequest(packet: Uint8Array): NatPmpRequest | { kind: 'ignore'; reason: IgnoreReason } {
  if (packet.length < 2) return { kind: 'ignore', reason: 'too-short' };
  const version = packet[0] as number;
  const opcode = packet[1] as number;
  if (opcode >= RESPONSE_BIT) return { kind: 'ignore', reason: 'is-response' };
  if (version !== NATPMP_VERSION) return { kind: 'unsupported-version', opcode };
  if (opcode === OP_EXTERNAL_ADDRESS) return { kind: 'external-address' };
  if (!isMapOpcode(opcode)) return { kind: 'unsupported-opcode', opcode };
  if (packet.length < 12) return { kind: 'ignore', reason: 'too-short' };
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return {
    kind: 'map',
    protocol: protocolOf(opcode),
    internalPort: view.getUint16(4),
    suggestedExternalPort: view.getUint16(6),
    lifetimeSeconds: view.getUint32(8),
  };
}

// ---- Responses: the gateway encodes, the client decodes. ----

interface ResponseHeader {
  /** §3.5; a number, not `ResultCode`: an unknown code still reaches the caller, who explains it. */
  resultCode: number;
  /** Seconds since the gateway's port-mapping table was initialised (§3.6). */
  epoch: number;
}

export interface ExternalAddressResponse extends ResponseHeader {
  kind: 'external-address';
  /** 0.0.0.0 when the gateway has none (with result 3). */
  externalAddress: string;
}

export interface MapResponse extends ResponseHeader {
  kind: 'map';
  protocol: NatPmpProtocol;
  internalPort: number;
  /** The port actually granted, which may differ from the suggestion (§3.3). */
  externalPort: number;
  lifetimeSeconds: number;
}

/** §3.5: a failure carried by the 8-byte header alone — the answer to an unsupported version or
 *  opcode (as miniupnpd sends it), or a gateway that sends no body with a non-zero result. */
export interface HeaderOnlyResponse extends ResponseHeader {
  kind: 'header-only';
  requestOpcode: number;
}

export type NatPmpResponse = ExternalAddressResponse | MapResponse | HeaderOnlyResponse;

function header(size: number, requestOpcode: number, resultCode: number, epoch: number): Buffer {
  const bytes = Buffer.alloc(size);
  bytes.writeUInt8(NATPMP_VERSION, 0);
  bytes.writeUInt8(RESPONSE_BIT + requestOpcode, 1);
  bytes.writeUInt16BE(resultCode, 2);
  bytes.writeUInt32BE(epoch >>> 0, 4);
  return bytes;
}

/** §3.2: 12 bytes — header, epoch, external IPv4 address (0.0.0.0 when none, with result 3). */
export function encodeExternalAddressResponse(r: {
  resultCode: number;
  epoch: number;
  externalAddress: string | null;
}): Buffer {
  const address = ipv4ToInt(r.externalAddress ?? '0.0.0.0');
  if (address === null) throw new RangeError(`not an IPv4 address: ${r.externalAddress}`);
  const bytes = header(12, OP_EXTERNAL_ADDRESS, r.resultCode, r.epoch);
  bytes.writeUInt32BE(address, 8);
  return bytes;
}

/** §3.3: 16 bytes — header, epoch, internal port, mapped external port, lifetime. */
export function encodeMapResponse(r: Omit<MapResponse, 'kind'>): Buffer {
  const bytes = header(16, mapOpcode(r.protocol), r.resultCode, r.epoch);
  bytes.writeUInt16BE(r.internalPort, 8);
  bytes.writeUInt16BE(r.externalPort, 10);
  bytes.writeUInt32BE(r.lifetimeSeconds >>> 0, 12);
  return bytes;
}

/** §3.5: unsupported version/opcode answers carry the request opcode + 128, the result code and
 *  the epoch: 8 bytes, as miniupnpd's natpmp.c sends them. */
export function encodeErrorResponse(requestOpcode: number, resultCode: number, epoch: number): Buffer {
  return header(8, requestOpcode, resultCode, epoch);
}

/**
 * A response, or undefined for anything else: shorter than the 8-byte header, version ≠ 0, a
 * request (opcode < 128), or a success without the body its opcode needs (§3.2: 12 bytes, §3.3:
 * 16). A failure may come as the header alone (§3.5). Longer datagrams are read up to their format.
 */
export function decodeResponse(packet: Uint8Array): NatPmpResponse | undefined {
  if (packet.length < 8 || packet[0] !== NATPMP_VERSION || (packet[1] as number) < RESPONSE_BIT) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const requestOpcode = (packet[1] as number) - RESPONSE_BIT;
  const head: ResponseHeader = { resultCode: view.getUint16(2), epoch: view.getUint32(4) };
  if (requestOpcode === OP_EXTERNAL_ADDRESS && packet.length >= 12) {
    return { kind: 'external-address', ...head, externalAddress: Array.from(packet.subarray(8, 12)).join('.') };
  }
  if (isMapOpcode(requestOpcode) && packet.length >= 16) {
    return {
      kind: 'map',
      protocol: protocolOf(requestOpcode),
      ...head,
      internalPort: view.getUint16(8),
      externalPort: view.getUint16(10),
      lifetimeSeconds: view.getUint32(12),
    };
  }
  return head.resultCode === ResultCode.Success ? undefined : { kind: 'header-only', requestOpcode, ...head };
}

/** The request opcode a response answers, so a client can drop answers to other requests. */
export function answersOpcode(r: NatPmpResponse): number {
  if (r.kind === 'header-only') return r.requestOpcode;
  return r.kind === 'map' ? mapOpcode(r.protocol) : OP_EXTERNAL_ADDRESS;
}
