import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ResultCode,
  answersOpcode,
  decodeRequest,
  decodeResponse,
  encodeErrorResponse,
  encodeExternalAddressRequest,
  encodeExternalAddressResponse,
  encodeMapRequest,
  encodeMapResponse,
  type NatPmpProtocol,
} from './codec';

const protocol = fc.constantFrom<NatPmpProtocol>('udp', 'tcp');

describe('requests (RFC 6886 §3.2, §3.3, §3.5): the client encodes, the gateway decodes', () => {
  it('encodes the public address request and a map request byte for byte', () => {
    expect([...encodeExternalAddressRequest()]).toEqual([0, 0]);
    expect([
      ...encodeMapRequest({ protocol: 'tcp', internalPort: 8080, suggestedExternalPort: 18080, lifetimeSeconds: 7200 }),
    ]).toEqual([0, 2, 0, 0, 0x1f, 0x90, 0x46, 0xa0, 0, 0, 0x1c, 0x20]);
  });
  it('refuses to encode numbers that do not fit their fields', () => {
    const base = { protocol: 'udp' as const, internalPort: 1, suggestedExternalPort: 1, lifetimeSeconds: 1 };
    expect(() => encodeMapRequest({ ...base, internalPort: 65536 })).toThrow(RangeError);
    expect(() => encodeMapRequest({ ...base, lifetimeSeconds: -1 })).toThrow(RangeError);
  });
  it('decodes the public address request', () => {
    expect(decodeRequest(Uint8Array.from([0, 0]))).toEqual({ kind: 'external-address' });
  });
  it('decodes a TCP map request field by field (big-endian)', () => {
    const packet = Uint8Array.from([0, 2, 0, 0, 0x04, 0xd2, 0x16, 0x2e, 0x00, 0x00, 0x1c, 0x20]);
    expect(decodeRequest(packet)).toEqual({
      kind: 'map',
      protocol: 'tcp',
      internalPort: 1234,
      suggestedExternalPort: 5678,
      lifetimeSeconds: 7200,
    });
  });
  it('round-trips any map request', () => {
    fc.assert(
      fc.property(protocol, fc.nat(65535), fc.nat(65535), fc.nat(0xffffffff), (proto, i, e, l) => {
        const request = { protocol: proto, internalPort: i, suggestedExternalPort: e, lifetimeSeconds: l };
        expect(decodeRequest(encodeMapRequest(request))).toEqual({ kind: 'map', ...request });
      }),
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
  it('reads a request inside a larger buffer at its own offset', () => {
    const pool = Buffer.from([9, 9, 9, 0, 1, 0, 0, 0, 80, 0, 81, 0, 0, 0, 60]);
    expect(decodeRequest(pool.subarray(3))).toMatchObject({ kind: 'map', internalPort: 80, suggestedExternalPort: 81 });
  });
});

describe('responses: the gateway encodes, the client decodes', () => {
  it('encodes the public address response (12 bytes)', () => {
    const bytes = encodeExternalAddressResponse({ resultCode: 0, epoch: 0x01020304, externalAddress: '198.51.100.7' });
    expect([...bytes]).toEqual([0, 128, 0, 0, 1, 2, 3, 4, 198, 51, 100, 7]);
    expect(
      [
        ...encodeExternalAddressResponse({ resultCode: ResultCode.NetworkFailure, epoch: 0, externalAddress: null }),
      ].slice(2),
    ).toEqual([0, 3, 0, 0, 0, 0, 0, 0, 0, 0]);
    expect(() => encodeExternalAddressResponse({ resultCode: 0, epoch: 0, externalAddress: '1.2.3' })).toThrow(
      RangeError,
    );
  });
  it('encodes map responses (16 bytes) and error responses (8 bytes)', () => {
    const map = { protocol: 'udp' as const, resultCode: 0, epoch: 9, internalPort: 1234, externalPort: 4000 };
    expect([...encodeMapResponse({ ...map, lifetimeSeconds: 3600 })]).toEqual([
      0, 129, 0, 0, 0, 0, 0, 9, 4, 210, 15, 160, 0, 0, 14, 16,
    ]);
    expect([...encodeErrorResponse(7, ResultCode.UnsupportedOpcode, 1)]).toEqual([0, 135, 0, 5, 0, 0, 0, 1]);
  });
  it('decodeResponse reads back what the encoders wrote', () => {
    expect(
      decodeResponse(encodeExternalAddressResponse({ resultCode: 0, epoch: 5, externalAddress: '203.0.113.9' })),
    ).toEqual({ kind: 'external-address', resultCode: 0, epoch: 5, externalAddress: '203.0.113.9' });
    expect(
      decodeResponse(
        encodeMapResponse({
          protocol: 'tcp',
          resultCode: 2,
          epoch: 6,
          internalPort: 80,
          externalPort: 0,
          lifetimeSeconds: 0,
        }),
      ),
    ).toEqual({
      kind: 'map',
      protocol: 'tcp',
      resultCode: 2,
      epoch: 6,
      internalPort: 80,
      externalPort: 0,
      lifetimeSeconds: 0,
    });
    expect(decodeResponse(encodeErrorResponse(9, ResultCode.UnsupportedOpcode, 3))).toEqual({
      kind: 'header-only',
      requestOpcode: 9,
      resultCode: 5,
      epoch: 3,
    });
  });
  it('round-trips any map response', () => {
    fc.assert(
      fc.property(
        protocol,
        fc.nat(0xffff),
        fc.nat(0xffffffff),
        fc.nat(65535),
        fc.nat(65535),
        fc.nat(0xffffffff),
        (proto, resultCode, epoch, internalPort, externalPort, lifetimeSeconds) => {
          const r = { protocol: proto, resultCode, epoch, internalPort, externalPort, lifetimeSeconds };
          expect(decodeResponse(encodeMapResponse(r))).toEqual({ kind: 'map', ...r });
        },
      ),
    );
  });
  it('accepts a failure as the 8-byte header alone (§3.5), but never a success without its body', () => {
    expect(decodeResponse(Buffer.from([0, 130, 0, 3, 0, 0, 0, 1]))).toEqual({
      kind: 'header-only',
      requestOpcode: 2,
      resultCode: 3,
      epoch: 1,
    });
    expect(decodeResponse(Buffer.from([0, 130, 0, 0, 0, 0, 0, 1]))).toBeUndefined();
    expect(decodeResponse(Buffer.from([0, 128, 0, 0, 0, 0, 0, 1, 1, 2, 3]))).toBeUndefined();
  });
  it('rejects requests, other versions and runts', () => {
    expect(decodeResponse(Uint8Array.from([0, 0, 0, 0, 0, 0, 0, 0]))).toBeUndefined(); // a request
    expect(decodeResponse(Buffer.from([0, 2, 0, 0, 0, 0, 0, 1]))).toBeUndefined(); // a request
    expect(decodeResponse(Buffer.from([1, 128, 0, 0, 0, 0, 0, 0, 1, 2, 3, 4]))).toBeUndefined(); // version 1
    expect(decodeResponse(Buffer.from([0, 128, 0, 1]))).toBeUndefined(); // shorter than the header
  });
  it('never throws on arbitrary bytes', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => void decodeResponse(bytes)));
  });
  it('names the request each response answers', () => {
    const map = { resultCode: 0, epoch: 0, internalPort: 1, externalPort: 1, lifetimeSeconds: 1 };
    const answered = [
      encodeExternalAddressResponse({ resultCode: 0, epoch: 0, externalAddress: '192.0.2.1' }),
      encodeMapResponse({ ...map, protocol: 'udp' }),
      encodeMapResponse({ ...map, protocol: 'tcp' }),
      encodeErrorResponse(9, ResultCode.UnsupportedOpcode, 0),
    ].map((bytes) => {
      const r = decodeResponse(bytes);
      return r && answersOpcode(r);
    });
    expect(answered).toEqual([0, 1, 2, 9]);
  });
});
