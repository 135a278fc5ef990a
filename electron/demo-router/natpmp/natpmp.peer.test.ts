/**
 * Debian's natpmpc (libnatpmp) against the NAT-PMP face. natpmpc always talks to port 5351 of
 * the gateway given with -g, so the face binds <loopback>:5351 (Linux routes all of 127/8 to lo).
 * A loopback address of its own (not the 127.0.0.2 of the example) keeps this file from
 * colliding with another test file that runs the whole demo router on 127.0.0.2 in parallel.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { FakeMappingBackend } from '../igd/testing/fake-backend';
import { startNatPmp, type NatPmpServer } from './server';

const NATPMPC = '/usr/bin/natpmpc';
const GATEWAY = '127.0.53.51';

function natpmpc(...args: string[]): Promise<string> {
  return new Promise((resolve) => {
    execFile(NATPMPC, ['-g', GATEWAY, ...args], { timeout: 20_000 }, (_e, stdout, stderr) =>
      resolve(`${stdout}${stderr}`),
    );
  });
}

describe.skipIf(!existsSync(NATPMPC))('natpmpc against the NAT-PMP face', () => {
  const backend = new FakeMappingBackend({ deniedPorts: [{ from: 1, to: 1023 }] });
  let server: NatPmpServer;
  beforeAll(async () => {
    server = await startNatPmp({ backend, host: GATEWAY, port: 5351 });
  });
  afterAll(async () => {
    await server?.close();
  });
  beforeEach(() => {
    backend.restart();
  });

  it('gets the public address and epoch', async () => {
    const out = await natpmpc();
    expect(out).toContain('Public IP address : 198.51.100.7');
    expect(out).toMatch(/epoch = \d+/);
  });
  it('maps a TCP port and unmaps it with lifetime 0', async () => {
    const add = await natpmpc('-a', '4000', '1234', 'tcp', '3600');
    expect(add).toContain('Mapped public port 4000 protocol TCP to local port 1234 liftime 3600');
    expect(backend.get('nat-pmp', 'tcp', 4000)).toMatchObject({ internalPort: 1234, leaseSeconds: 3600 });
    const del = await natpmpc('-a', '4000', '1234', 'tcp', '0');
    expect(del).toContain('Mapped public port 0 protocol TCP to local port 1234 liftime 0');
    expect(backend.list('nat-pmp')).toEqual([]);
  });
  it('reads the granted port when the suggested one is taken', async () => {
    backend.add({
      source: 'upnp',
      protocol: 'udp',
      externalPort: 4100,
      internalAddress: '192.168.88.20',
      internalPort: 1,
      description: 'other',
      leaseSeconds: 0,
      remoteHost: '',
      enabled: true,
      clientAddress: '192.168.88.20',
      allowAlternativePort: false,
    });
    const out = await natpmpc('-a', '4100', '4100', 'udp', '60');
    const granted = /Mapped public port (\d+) protocol UDP to local port 4100/.exec(out);
    expect(granted, out).not.toBeNull();
    expect(Number(granted?.[1])).not.toBe(4100);
  });
  it('reports a denied port as not authorized (result 2)', async () => {
    expect(await natpmpc('-a', '80', '80', 'tcp', '60')).toMatch(/not authorized/i);
  });
});
