/**
 * Real, independent IGD clients against the IGD face on loopback: Debian's miniupnpc (`upnpc -u`,
 * which skips discovery) and npm nat-upnp 1.1.1 (its Device/Client code pointed at our
 * description URL; its own discovery multicasts on the machine's real interfaces, which tests
 * must never do, so the SSDP part is replaced by a stub).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startIgd, type IgdServer } from './server';
import { FakeMappingBackend } from './testing/fake-backend';

const UPNPC = '/usr/bin/upnpc';

function upnpc(url: string, ...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(UPNPC, ['-u', url, ...args], { timeout: 15_000 }, (_error, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

let backend: FakeMappingBackend;
let igd: IgdServer;
beforeEach(async () => {
  backend = new FakeMappingBackend({ deniedPorts: [{ from: 1, to: 1023 }] });
  igd = await startIgd({ backend, host: '127.0.0.1', httpPort: 0, ssdpPort: null });
});
afterEach(async () => {
  await igd.close();
});

describe.skipIf(!existsSync(UPNPC))('upnpc (miniupnpc) against the IGD face', () => {
  it('adds, lists and deletes a mapping (IGD:1, permanent lease)', async () => {
    const add = await upnpc(igd.rootDescriptionUrl, '-e', 'PortPilot test', '-a', '127.0.0.1', '5000', '45000', 'tcp');
    expect(add).toContain('external 198.51.100.7:45000 TCP is redirected to internal 127.0.0.1:5000 (duration=0)');
    expect(backend.get('upnp', 'tcp', 45000)).toMatchObject({
      internalPort: 5000,
      description: 'PortPilot test',
      leaseSeconds: 0,
    });
    const list = await upnpc(igd.rootDescriptionUrl, '-l');
    expect(list).toContain("'Dummy inactive rule for windows to work'");
    expect(list).toMatch(/1 TCP 45000->127\.0\.0\.1:5000\s+'PortPilot test'/);
    expect(list).toContain('GetGenericPortMappingEntry() returned 713 (SpecifiedArrayIndexInvalid)');
    const del = await upnpc(igd.rootDescriptionUrl, '-d', '45000', 'tcp');
    expect(del).toContain('UPNP_DeletePortMapping() returned : 0');
    expect(backend.list('upnp')).toEqual([]);
  });
  it('shows 606 for a denied port and 725 for a lease in the routeros7 profile', async () => {
    expect(await upnpc(igd.rootDescriptionUrl, '-a', '127.0.0.1', '80', '80', 'tcp')).toContain(
      'failed with code 606 (Action not authorized)',
    );
    expect(await upnpc(igd.rootDescriptionUrl, '-a', '127.0.0.1', '8081', '8081', 'udp', '3600')).toContain(
      'failed with code 725 (OnlyPermanentLeasesSupported)',
    );
    expect(backend.list('upnp')).toEqual([]);
  });
  it('shows 718 when another host holds the port', async () => {
    backend.add({
      source: 'upnp',
      protocol: 'tcp',
      externalPort: 46000,
      internalAddress: '192.168.88.20',
      internalPort: 46000,
      description: 'other',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.20',
      allowAlternativePort: false,
    });
    expect(await upnpc(igd.rootDescriptionUrl, '-a', '127.0.0.1', '46000', '46000', 'tcp')).toContain(
      'failed with code 718 (ConflictInMappingEntry)',
    );
  });
  it('uses AddAnyPortMapping and GetListOfPortMappings on IGD:2', async () => {
    backend.config.igdVersion = 2;
    expect(await upnpc(igd.rootDescriptionUrl, '-e', 'first', '-a', '127.0.0.1', '7000', '47000', 'tcp')).toContain(
      'is redirected',
    );
    backend.add({
      source: 'upnp',
      protocol: 'udp',
      externalPort: 47001,
      internalAddress: '192.168.88.20',
      internalPort: 1,
      description: 'other',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.20',
      allowAlternativePort: false,
    });
    const any = await upnpc(igd.rootDescriptionUrl, '-e', 'any', '-n', '127.0.0.1', '7001', '47001', 'udp');
    const reserved = /external 198\.51\.100\.7:(\d+) UDP is redirected to internal 127\.0\.0\.1:7001/.exec(any);
    expect(reserved, any).not.toBeNull();
    expect(Number(reserved?.[1])).not.toBe(47001);
    // upnpc -L asks GetListOfPortMappings for TCP 0-65535 only.
    const listing = await upnpc(igd.rootDescriptionUrl, '-L');
    expect(listing).toMatch(/TCP\s+47000->127\.0\.0\.1:7000/);
  });
});

interface NatUpnpClient {
  findGateway(cb: (err: Error | null, gateway?: unknown, address?: string) => void): void;
  portMapping(opts: object, cb: (err: Error | null) => void): void;
  portUnmapping(opts: object, cb: (err: Error | null) => void): void;
  getMappings(
    opts: object,
    cb: (
      err: Error | null,
      list?: { public: { port: number }; private: { host: string; port: number }; description: string; ttl: number }[],
    ) => void,
  ): void;
  externalIp(cb: (err: Error | null, ip?: string) => void): void;
  close(): void;
}
interface NatUpnpModule {
  createClient(): NatUpnpClient;
  ssdp: { create: () => unknown };
  device: { create: (url: string) => unknown };
}

function natUpnpClient(url: string): NatUpnpClient {
  const natUpnp = createRequire(import.meta.url)('nat-upnp') as NatUpnpModule;
  natUpnp.ssdp.create = () => ({
    search: () => {
      throw new Error('no SSDP multicast in tests');
    },
    close: () => undefined,
  });
  const client = natUpnp.createClient();
  client.findGateway = (cb) => cb(null, natUpnp.device.create(url), '127.0.0.1');
  return client;
}

const call = <T>(fn: (cb: (err: Error | null, value?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, value) => (err ? reject(err) : resolve(value))));

describe('nat-upnp 1.1.1 against the IGD:1 face', () => {
  it('reads the external address, adds, lists and deletes', async () => {
    const client = natUpnpClient(igd.rootDescriptionUrl);
    try {
      expect(await call<string>((cb) => client.externalIp(cb))).toBe('198.51.100.7');
      // nat-upnp defaults to a 1800 s lease, which RouterOS 7 refuses (725): ttl 0 = permanent.
      await call((cb) =>
        client.portMapping(
          {
            public: 48000,
            private: { host: '127.0.0.1', port: 8000 },
            protocol: 'tcp',
            ttl: 0,
            description: 'nat-upnp',
          },
          cb,
        ),
      );
      const list =
        (await call<NonNullable<Parameters<Parameters<NatUpnpClient['getMappings']>[1]>[1]>>((cb) =>
          client.getMappings({}, cb),
        )) ?? [];
      expect(list.map((m) => m.public.port)).toEqual([0, 48000]);
      expect(list[1]).toMatchObject({ private: { host: '127.0.0.1', port: 8000 }, description: 'nat-upnp', ttl: 0 });
      await call((cb) => client.portUnmapping({ public: 48000, protocol: 'tcp' }, cb));
      expect(backend.list('upnp')).toEqual([]);
      // Its default lease is refused; nat-upnp only surfaces the HTTP status, not the 725.
      await expect(call((cb) => client.portMapping({ public: 48001, private: 8001 }, cb))).rejects.toThrow(
        'Request failed: 500',
      );
    } finally {
      client.close();
    }
  });
});
