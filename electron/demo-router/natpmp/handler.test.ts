import { beforeEach, describe, expect, it } from 'vitest';
import { FakeMappingBackend } from '../igd/testing/fake-backend';
import {
  decodeResponse,
  encodeExternalAddressRequest,
  encodeMapRequest,
  type NatPmpProtocol,
} from '../../natpmp/codec';
import { handlePacket } from './handler';

/** A §3.3 map request in short: protocol, internal port, suggested external port, lifetime in seconds. */
const mapRequest = (
  protocol: NatPmpProtocol,
  internalPort: number,
  suggestedExternalPort: number,
  lifetimeSeconds: number,
) => encodeMapRequest({ protocol, internalPort, suggestedExternalPort, lifetimeSeconds });

let backend: FakeMappingBackend;
let now = 0;
beforeEach(() => {
  backend = new FakeMappingBackend({ deniedPorts: [{ from: 1, to: 1023 }] });
  now = 1_000_000;
  backend.setClock(() => now);
});

const send = (packet: Uint8Array, client = '192.168.88.10') => {
  const { response } = handlePacket(backend, packet, client);
  return response ? decodeResponse(response) : undefined;
};

describe('public address', () => {
  it('answers with the external address and the epoch', () => {
    now += 77_000;
    expect(send(encodeExternalAddressRequest())).toEqual({
      kind: 'external-address',
      resultCode: 0,
      epoch: 77,
      externalAddress: '198.51.100.7',
    });
  });
  it('result 3 without an external address, 2 when NAT-PMP is off', () => {
    backend.config.externalAddress = null;
    expect(send(encodeExternalAddressRequest())).toMatchObject({ resultCode: 3, externalAddress: '0.0.0.0' });
    backend.config.natPmpEnabled = false;
    expect(send(encodeExternalAddressRequest())).toMatchObject({ resultCode: 2 });
  });
  it('epoch restarts with the service (§3.6)', () => {
    now += 500_000;
    backend.restart();
    now += 3_000;
    expect(send(encodeExternalAddressRequest())?.epoch).toBe(3);
  });
});

describe('map requests', () => {
  it('maps, renews the same mapping, and deletes with lifetime 0', () => {
    expect(send(mapRequest('tcp', 1234, 4000, 3600))).toMatchObject({
      kind: 'map',
      protocol: 'tcp',
      resultCode: 0,
      internalPort: 1234,
      externalPort: 4000,
      lifetimeSeconds: 3600,
    });
    expect(backend.get('nat-pmp', 'tcp', 4000)).toMatchObject({ internalAddress: '192.168.88.10', leaseSeconds: 3600 });
    // §3.3: asking again for the same internal port returns the existing external port.
    expect(send(mapRequest('tcp', 1234, 4100, 7200))).toMatchObject({
      externalPort: 4000,
      lifetimeSeconds: 7200,
    });
    expect(backend.list('nat-pmp')).toHaveLength(1);
    expect(send(mapRequest('tcp', 1234, 0, 0))).toMatchObject({
      resultCode: 0,
      internalPort: 1234,
      externalPort: 0,
      lifetimeSeconds: 0,
    });
    expect(backend.list('nat-pmp')).toEqual([]);
  });
  it('deleting a missing mapping succeeds (§3.4)', () => {
    expect(send(mapRequest('udp', 999, 0, 0))).toMatchObject({ kind: 'map', protocol: 'udp', resultCode: 0 });
  });
  it('internal port 0 with lifetime 0 deletes all of the client’s mappings of that protocol only', () => {
    send(mapRequest('udp', 5000, 5000, 60));
    send(mapRequest('udp', 5001, 5001, 60));
    send(mapRequest('tcp', 5002, 5002, 60));
    send(mapRequest('udp', 5003, 5003, 60), '192.168.88.11');
    expect(send(mapRequest('udp', 0, 0, 0))).toMatchObject({ resultCode: 0 });
    expect(
      backend
        .list('nat-pmp')
        .map((e) => `${e.protocol}/${e.externalPort}`)
        .sort(),
    ).toEqual(['tcp/5002', 'udp/5003']);
  });
  it('grants another port when the suggested one is taken, or any port for 0', () => {
    send(mapRequest('udp', 6000, 6000, 60), '192.168.88.11');
    const granted = send(mapRequest('udp', 6000, 6000, 60));
    expect(granted).toMatchObject({ resultCode: 0 });
    expect(granted && 'externalPort' in granted ? granted.externalPort : 6000).not.toBe(6000);
    expect(send(mapRequest('tcp', 7000, 0, 60))).toMatchObject({ resultCode: 0, externalPort: 7000 });
  });
  it('result codes for refusals', () => {
    expect(send(mapRequest('tcp', 80, 80, 60))).toMatchObject({ resultCode: 2, externalPort: 0 });
    expect(send(mapRequest('tcp', 5000, 5000, 60), '10.0.0.5')).toMatchObject({ resultCode: 2 });
    backend.config.maxMappings = 0;
    expect(send(mapRequest('tcp', 5000, 5000, 60))).toMatchObject({ resultCode: 4 });
    backend.config.externalUp = false;
    expect(send(mapRequest('tcp', 5000, 5000, 60))).toMatchObject({ resultCode: 3 });
    backend.config.natPmpEnabled = false;
    expect(send(mapRequest('tcp', 5000, 5000, 60))).toMatchObject({ resultCode: 2 });
    expect(send(mapRequest('tcp', 5000, 0, 0))).toMatchObject({ resultCode: 2 });
  });
});

describe('malformed requests', () => {
  it('answers version ≠ 0 with result 1 and unknown opcodes with 5; ignores the rest', () => {
    expect(send(Uint8Array.from([2, 0]))).toEqual({ kind: 'header-only', requestOpcode: 0, resultCode: 1, epoch: 0 });
    expect(send(Uint8Array.from([0, 9, 0, 0]))).toEqual({
      kind: 'header-only',
      requestOpcode: 9,
      resultCode: 5,
      epoch: 0,
    });
    expect(send(Uint8Array.from([0, 2, 0, 0]))).toBeUndefined();
    expect(send(Uint8Array.from([0, 130, 0, 0, 0, 0, 0, 0]))).toBeUndefined();
  });
});
