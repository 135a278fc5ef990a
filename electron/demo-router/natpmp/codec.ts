/**
 * NAT-PMP wire codec (RFC 6886 §3). Pure: decodes client requests, encodes server responses.
 * All fields are big-endian (network order).
 */

export const NATPMP_PORT = 5351;
export const NATPMP_VERSION = 0;

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

export type NatPmpRequest =
  | { kind: 'external-address' }
  | {
      kind: 'map';
      opcode: 1 | 2;
      protocol: 'udp' | 'tcp';
      internalPort: number;
      suggestedExternalPort: number;
      lifetimeSeconds: number;
    }
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

export function decodeRequest(packet: Uint8Array): NatPmpRequest | { kind: 'ignore'; reason: IgnoreReason } {
  if (packet.length < 2) return { kind: 'ignore', reason: 'too-short' };
  const version = packet[0] as number;
  const opcode = packet[1] as number;
  if (opcode >= 128) return { kind: 'ignore', reason: 'is-response' };
  if (version !== NATPMP_VERSION) return { kind: 'unsupported-version', opcode };
  if (opcode === 0) return { kind: 'external-address' };
  if (opcode !== 1 && opcode !== 2) return { kind: 'unsupported-opcode', opcode };
  if (packet.length < 12) return { kind: 'ignore', reason: 'too-short' };
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  return {
    kind: 'map',
    opcode,
    protocol: opcode === 1 ? 'udp' : 'tcp',
    internalPort: view.getUint16(4),
    suggestedExternalPort: view.getUint16(6),
    lifetimeSeconds: view.getUint32(8),
  };
}

function header(size: number, opcode: number, result: ResultCode, epoch: number): { bytes: Buffer; view: DataView } {
  const bytes = Buffer.alloc(size);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint8(0, NATPMP_VERSION);
  view.setUint8(1, 128 + opcode);
  view.setUint16(2, result);
  view.setUint32(4, epoch >>> 0);
  return { bytes, view };
}

/** §3.2: 12 bytes — header, epoch, external IPv4 address (0.0.0.0 when none, with result 3). */
export function encodeExternalAddressResponse(result: ResultCode, epoch: number, address: string | null): Buffer {
  const { bytes } = header(12, 0, result, epoch);
  const octets = (address ?? '0.0.0.0').split('.').map(Number);
  if (octets.length !== 4 || octets.some((o) => !Number.isInteger(o) || o < 0 || o > 255)) {
    throw new RangeError(`not an IPv4 address: ${address}`);
  }
  bytes.set(octets, 8);
  return bytes;
}

/** §3.3: 16 bytes — header, epoch, internal port, mapped external port, lifetime. */
export function encodeMapResponse(
  opcode: 1 | 2,
  result: ResultCode,
  epoch: number,
  internalPort: number,
  externalPort: number,
  lifetimeSeconds: number,
): Buffer {
  const { bytes, view } = header(16, opcode, result, epoch);
  view.setUint16(8, internalPort);
  view.setUint16(10, externalPort);
  view.setUint32(12, lifetimeSeconds >>> 0);
  return bytes;
}

/**
 * §3.5: unsupported version/opcode answers carry the request opcode + 128, the result code and
 * the epoch: 8 bytes, as miniupnpd's natpmp.c sends them.
 */
export function encodeErrorResponse(opcode: number, result: ResultCode, epoch: number): Buffer {
  return header(8, opcode, result, epoch).bytes;
}

/** Client-side helpers (tests, and any PortPilot client that wants them). */
export function encodeExternalAddressRequest(): Buffer {
  return Buffer.from([NATPMP_VERSION, 0]);
}

export function encodeMapRequest(
  protocol: 'udp' | 'tcp',
  internalPort: number,
  externalPort: number,
  lifetime: number,
): Buffer {
  const bytes = Buffer.alloc(12);
  bytes.writeUInt8(NATPMP_VERSION, 0);
  bytes.writeUInt8(protocol === 'udp' ? 1 : 2, 1);
  bytes.writeUInt16BE(internalPort, 4);
  bytes.writeUInt16BE(externalPort, 6);
  bytes.writeUInt32BE(lifetime >>> 0, 8);
  return bytes;
}

export type NatPmpResponse =
  | { opcode: 128; result: number; epoch: number; address: string }
  | {
      opcode: 129 | 130;
      result: number;
      epoch: number;
      internalPort: number;
      externalPort: number;
      lifetimeSeconds: number;
    }
  | { opcode: number; result: number; epoch: number };

export function decodeResponse(packet: Uint8Array): NatPmpResponse | undefined {
  if (packet.length < 8 || packet[0] !== NATPMP_VERSION || (packet[1] as number) < 128) return undefined;
  const view = new DataView(packet.buffer, packet.byteOffset, packet.byteLength);
  const base = { result: view.getUint16(2), epoch: view.getUint32(4) };
  const opcode = packet[1] as number;
  if (opcode === 128 && packet.length >= 12) {
    return { opcode, ...base, address: Array.from(packet.subarray(8, 12)).join('.') };
  }
  if ((opcode === 129 || opcode === 130) && packet.length >= 16) {
    return {
      opcode,
      ...base,
      internalPort: view.getUint16(8),
      externalPort: view.getUint16(10),
      lifetimeSeconds: view.getUint32(12),
    };
  }
  return { opcode, ...base };
}
