import dgram from 'node:dgram';
import { afterEach, describe, expect, it } from 'vitest';
import { NatPmpClient } from './natpmp';
import { NatPmpError, NatPmpResultError } from './errors';
import { encodeExternalAddressResponse, encodeMapResponse } from '../natpmp/codec';
import { startFakeUdp, type FakeUdp } from './test-fakes';

describe('NatPmpClient against a fake responder on 127.0.0.1', () => {
  const servers: FakeUdp[] = [];
  afterEach(async () => {
    await Promise.all(servers.splice(0).map((s) => s.close()));
  });
  const client = (port: number, tries = 4) =>
    new NatPmpClient({ gateway: '127.0.0.1', port, tries, initialTimeoutMs: 100 });

  it('retries with doubling waits when the first two requests are dropped', async () => {
    const times: number[] = [];
    const s = await startFakeUdp((_m, n) => {
      times.push(Date.now());
      return n <= 2
        ? null
        : encodeExternalAddressResponse({ resultCode: 0, epoch: 77, externalAddress: '203.0.113.5' });
    });
    servers.push(s);
    await expect(client(s.port).externalAddress()).resolves.toEqual({ address: '203.0.113.5', epoch: 77 });
    expect(times).toHaveLength(3);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(90);
    expect((times[2] ?? 0) - (times[1] ?? 0)).toBeGreaterThanOrEqual(190);
  });

  it('ignores replies from another port, another address or with another opcode, then times out', async () => {
    const otherPort = dgram.createSocket('udp4');
    await new Promise<void>((r) => otherPort.bind(0, '127.0.0.1', r));
    const spoofed = encodeMapResponse({
      protocol: 'tcp',
      resultCode: 0,
      epoch: 1,
      internalPort: 80,
      externalPort: 80,
      lifetimeSeconds: 60,
    });
    // Created after the fake gateway, because it binds to the gateway's port on another address.
    const spoofer: { socket?: dgram.Socket } = {};
    const s = await startFakeUdp((_m, _n, from) => {
      // Spoofers answer with a valid TCP reply from another port and from another address on the
      // gateway's own port; the gateway itself answers with a UDP-map opcode to a TCP request.
      otherPort.send(spoofed, from.port, from.address);
      spoofer.socket?.send(spoofed, from.port, from.address);
      return encodeMapResponse({
        protocol: 'udp',
        resultCode: 0,
        epoch: 1,
        internalPort: 80,
        externalPort: 80,
        lifetimeSeconds: 60,
      });
    });
    const otherAddress = dgram.createSocket('udp4');
    spoofer.socket = otherAddress;
    await new Promise<void>((r) => otherAddress.bind(s.port, '127.0.0.2', r));
    const other = { close: () => (otherPort.close(), otherAddress.close()) };
    servers.push(s);
    const t0 = Date.now();
    const err = await client(s.port, 3)
      .map({ protocol: 'tcp', internalPort: 80 })
      .catch((e: unknown) => e);
    other.close();
    expect(err).toBeInstanceOf(NatPmpError);
    expect(err).toMatchObject({ code: 'timeout' });
    expect(s.received).toHaveLength(3);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(650); // 100 + 200 + 400
  });

  it('returns the port actually granted, unmaps with lifetime 0 and external port 0, and maps result codes', async () => {
    const s = await startFakeUdp((msg) => {
      const internal = msg.readUInt16BE(4);
      const lifetime = msg.readUInt32BE(8);
      if (internal === 9)
        return encodeMapResponse({
          protocol: 'udp',
          resultCode: 2,
          epoch: 1,
          internalPort: 9,
          externalPort: 0,
          lifetimeSeconds: 0,
        });
      return encodeMapResponse({
        protocol: msg[1] === 1 ? 'udp' : 'tcp',
        resultCode: 0,
        epoch: 1,
        internalPort: internal,
        externalPort: lifetime ? 40123 : 0,
        lifetimeSeconds: lifetime,
      });
    });
    servers.push(s);
    await expect(
      client(s.port).map({ protocol: 'udp', internalPort: 5000, suggestedExternalPort: 5000, lifetime: 3600 }),
    ).resolves.toEqual({ protocol: 'udp', internalPort: 5000, externalPort: 40123, lifetime: 3600, epoch: 1 });
    await client(s.port).unmap({ protocol: 'tcp', internalPort: 5000 });
    expect([...(s.received[1] ?? [])]).toEqual([0, 2, 0, 0, 0x13, 0x88, 0, 0, 0, 0, 0, 0]);
    const err = await client(s.port)
      .map({ protocol: 'udp', internalPort: 9 })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NatPmpResultError);
    expect(err).toMatchObject({ code: 2, message: expect.stringContaining('Not Authorized') });
    await expect(client(s.port).map({ protocol: 'udp', internalPort: 70000 })).rejects.toMatchObject({
      code: 'bad-argument',
    });
  });

  it('defaults to 4 tries from 250 ms, so a silent gateway fails in about 4 s', async () => {
    const s = await startFakeUdp(() => null);
    servers.push(s);
    const t0 = Date.now();
    await expect(new NatPmpClient({ gateway: '127.0.0.1', port: s.port }).externalAddress()).rejects.toMatchObject({
      code: 'timeout',
    });
    const took = Date.now() - t0;
    expect(took).toBeGreaterThanOrEqual(3700);
    expect(took).toBeLessThan(5000); // slack for a loaded CI machine; the 4 tries are the real check
    expect(s.received).toHaveLength(4);
  });
});
