import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ResultCode,
  decodeRequest,
  decodeResponse,
  encodeErrorResponse,
  encodeExternalAddressResponse,
  encodeMapRequest,
  encodeMapResponse,
} from './codec';

describe('decodeRequest (RFC 6886 §3.2, §3.3, §3.5)', () => {
  it('decodes the public address request', () => {
    expect(decodeRequest(Uint8Array.from([0, 0]))).toEqual({ kind: 'external-address' });
  });
  it('decodes a TCP map request field by field (big-endian)', () => {
    const packet = Uint8Array.from([0, 2, 0, 0, 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x00, 0x1c, 0x20]);
    expect(decodeRequest(packet)).toEqual({
      kind: 'map',
      opcode: 2,
      protocol: 'tcp',
      internalPort: 1234,
      suggestedExternalPort: 5678,
      lifetimeSeconds: 7200,
    });
  });
  it('round-trips any map request', () => {
    fc.assert(
      fc.property(
        fc.constantFrom<'udp' | 'tcp'>('udp', 'tcp'),
        fc.nat(65535),
        fc.nat(65535),
        fc.nat(0xffffffff),
        (proto, i, e, l) => {
          expect(decodeRequest(encodeMapRequest(proto, i, e, l))).toEqual({
            kind: 'map',
            opcode: proto === 'udp' ? 1 : 2,
            protocol: proto,
            internalPort: i,
            suggestedExternalPort: e,
            lifetimeSeconds: l,
          });
        },
      ),
    );
  });
  it('flags bad versions and opcodes, ignores responses and short packets', () => {
    expect(decodeRequest(Uint8Array.from([1, 0]))).toEqual({ kind: 'unsupported-version', opcode: 0 });
    expect(decodeRequest(Uint8Array.from([0, 3]))).toEqual({ kind: 'unsupported-opcode', opcode: 3 });
    expect(decodeRequest(Uint8Array.from([0, 128, 0, 0]))).toEqual({ kind: 'ignore', reason: 'is-response' });
    expect(decodeRequest(Uint8Array.from([0]))).toEqual({ kind: 'ignore', reason: 'too-short' });
    expect(decodeRequest(Uint8Array.from([0, 1, 0, 0, 0, 1]))).toEqual({ kind: 'ignore', reason: 'too-short' });
  });
  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => void decodeRequest(bytes)));
  });
});

describe('encoders', () => {
  it('encodes the public address response (12 bytes)', () => {
    const bytes = encodeExternalAddressResponse(ResultCode.Success, 0x01020304, '198.51.100.7');
    expect([...bytes]).toEqual([0, 128, 0, 0, 1, 2, 3, 4, 198, 51, 100, 7]);
    expect([...encodeExternalAddressResponse(ResultCode.NetworkFailure, 0, null)].slice(2)).toEqual([
      0, 3, 0, 0, 0, 0, 0, 0, 0, 0,
    ]);
    expect(() => encodeExternalAddressResponse(0, 0, '1.2.3')).toThrow(RangeError);
  });
  it('encodes map responses (16 bytes) and error responses (8 bytes)', () => {
    expect([...encodeMapResponse(1, ResultCode.Success, 9, 1234, 4000, 3600)]).toEqual([
      0, 129, 0, 0, 0, 0, 0, 9, 4, 210, 15, 160, 0, 0, 14, 16,
    ]);
    expect([...encodeErrorResponse(7, ResultCode.UnsupportedOpcode, 1)]).toEqual([0, 135, 0, 5, 0, 0, 0, 1]);
  });
  it('decodeResponse reads back what the encoders wrote', () => {
    expect(decodeResponse(encodeExternalAddressResponse(0, 5, '203.0.113.9'))).toEqual({
      opcode: 128,
      result: 0,
      epoch: 5,
      address: '203.0.113.9',
    });
    expect(decodeResponse(encodeMapResponse(2, 2, 6, 80, 0, 0))).toEqual({
      opcode: 130,
      result: 2,
      epoch: 6,
      internalPort: 80,
      externalPort: 0,
      lifetimeSeconds: 0,
    });
    expect(decodeResponse(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
  });
});
