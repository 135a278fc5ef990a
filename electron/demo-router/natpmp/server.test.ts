import dgram from 'node:dgram';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeMappingBackend } from '../igd/testing/fake-backend';
import {
  decodeResponse,
  encodeExternalAddressRequest,
  encodeMapRequest,
  type NatPmpResponse,
  type NatPmpProtocol,
} from '../../natpmp/codec';
import { startNatPmp, type NatPmpServer } from './server';

/** A §3.3 map request in short: protocol, internal port, suggested external port, lifetime in seconds. */
const mapRequest = (
  protocol: NatPmpProtocol,
  internalPort: number,
  suggestedExternalPort: number,
  lifetimeSeconds: number,
) => encodeMapRequest({ protocol, internalPort, suggestedExternalPort, lifetimeSeconds });

let backend: FakeMappingBackend;
let server: NatPmpServer;
const logs: string[] = [];

beforeEach(async () => {
  backend = new FakeMappingBackend();
  server = await startNatPmp({ backend, host: '127.0.0.1', port: 0, log: (l) => logs.push(l) });
});
afterEach(async () => {
  await server.close();
});

/** One request, one reply, like a NAT-PMP client's first try (RFC 6886 §3.1, 250 ms). */
function exchange(packet: Buffer, waitMs = 250): Promise<NatPmpResponse | undefined> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      resolve(undefined);
    }, waitMs);
    socket.on('error', reject);
    socket.on('message', (message, peer) => {
      clearTimeout(timer);
      socket.close();
      expect(peer.port).toBe(server.port);
      resolve(decodeResponse(message));
    });
    socket.send(packet, server.port, '127.0.0.1');
  });
}

describe('NAT-PMP over UDP', () => {
  it('answers the public address request', async () => {
    expect(await exchange(encodeExternalAddressRequest())).toMatchObject({
      kind: 'external-address',
      resultCode: 0,
      externalAddress: '198.51.100.7',
    });
  });
  it('maps and unmaps, with the UDP peer as the internal client', async () => {
    expect(await exchange(mapRequest('udp', 3074, 3074, 3600))).toMatchObject({
      kind: 'map',
      protocol: 'udp',
      resultCode: 0,
      externalPort: 3074,
      lifetimeSeconds: 3600,
    });
    expect(backend.get('nat-pmp', 'udp', 3074)?.internalAddress).toBe('127.0.0.1');
    expect(await exchange(mapRequest('udp', 3074, 0, 0))).toMatchObject({ resultCode: 0, externalPort: 0 });
    expect(backend.list('nat-pmp')).toEqual([]);
  });
  it('answers bad versions, ignores junk, and keeps serving', async () => {
    expect(await exchange(Buffer.from([1, 0]))).toMatchObject({ resultCode: 1 });
    expect(await exchange(Buffer.from([0]), 100)).toBeUndefined();
    expect(await exchange(encodeExternalAddressRequest())).toMatchObject({ resultCode: 0 });
    expect(logs.some((l) => l.includes('ignored (too-short)'))).toBe(true);
  });
  it('logs the epoch reset on a service restart', async () => {
    backend.restart();
    expect(logs.some((l) => l.includes('epoch reset'))).toBe(true);
  });
});
