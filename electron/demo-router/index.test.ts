/** The facade: profiles wire the API server's `!empty`, NAT-PMP falls back when 5351 is taken. */
import dgram from 'node:dgram';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { encodeSentence, SentenceDecoder } from '../routeros/codec';
import { startDemoRouter, type DemoRouter } from './index';

const routers: DemoRouter[] = [];
afterEach(async () => {
  for (const r of routers.splice(0)) await r.stop();
});

/** Sends sentences over a raw socket and collects the reply sentences until `until` matches. */
async function converse(port: number, sentences: string[][], until: (got: string[][]) => boolean): Promise<string[][]> {
  const socket = net.connect(port, '127.0.0.1');
  const decoder = new SentenceDecoder();
  const got: string[][] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no full reply: ${JSON.stringify(got)}`)), 5000);
    socket.on('data', (chunk: Buffer) => {
      got.push(...decoder.push(chunk));
      if (until(got)) {
        clearTimeout(timer);
        resolve();
      }
    });
    socket.on('error', reject);
    for (const s of sentences) socket.write(encodeSentence(s));
  });
  socket.destroy();
  return got;
}

describe('startDemoRouter', () => {
  it.each([
    ['routeros7', true],
    ['seed', false],
  ] as const)('%s: an empty print answers !empty: %s', async (profile, empty) => {
    const r = await startDemoRouter({ profile, scenario: 'fresh', apiSslPort: null, ssdpPort: null, traffic: false });
    routers.push(r);
    const got = await converse(
      r.endpoints.apiPort,
      [
        ['/login', '=name=admin', '=password='],
        ['/ip/upnp/interfaces/print', '.tag=1'],
      ],
      (g) => g.filter((s) => s[0] === '!done').length === 2,
    );
    expect(got[0]).toEqual(['!done']);
    expect(got.slice(1).map((s) => s[0])).toEqual(empty ? ['!empty', '!done'] : ['!done']);
  });

  it('NAT-PMP falls back to a random port when the asked one is taken, only if allowed', async () => {
    const blocker = dgram.createSocket('udp4');
    await new Promise<void>((res) => blocker.bind(0, '127.0.0.1', () => res()));
    const taken = blocker.address().port;
    try {
      const lines: string[] = [];
      const r = await startDemoRouter({
        natpmpPort: taken,
        natpmpFallback: true,
        apiSslPort: null,
        ssdpPort: null,
        scenario: 'fresh',
        log: (l) => lines.push(l),
      });
      routers.push(r);
      expect(r.endpoints.natPmp.port).not.toBe(taken);
      expect(lines.some((l) => l.includes(`127.0.0.1:${taken} is in use`))).toBe(true);
      await expect(
        startDemoRouter({ natpmpPort: taken, apiSslPort: null, ssdpPort: null, scenario: 'fresh' }),
      ).rejects.toThrow(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });

  it.each([1, 2] as const)('serves the IGD:%s description when asked', async (igdVersion) => {
    const r = await startDemoRouter({ scenario: 'home', apiSslPort: null, ssdpPort: null, traffic: false, igdVersion });
    routers.push(r);
    const xml = await (await fetch(r.endpoints.rootDescriptionUrl)).text();
    expect(xml).toContain(`urn:schemas-upnp-org:device:InternetGatewayDevice:${igdVersion}`);
    expect(xml).toContain(`urn:schemas-upnp-org:service:WANIPConnection:${igdVersion}`);
  });

  it('keeps configuration in the state file across restarts, not the dynamic mappings', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'demo-router-facade-'));
    const stateFile = join(dir, 'state.json');
    const ctx = { user: 'admin', remoteAddress: '127.0.0.1' };
    try {
      const first = await startDemoRouter({
        scenario: 'home',
        stateFile,
        apiSslPort: null,
        ssdpPort: null,
        traffic: false,
      });
      first.device.command('/ip/upnp', 'set', { 'show-dummy-rule': 'no' }, ctx);
      first.device.command('/system/identity', 'set', { name: 'Kept' }, ctx);
      await first.stop();
      const second = await startDemoRouter({
        scenario: 'home',
        stateFile,
        apiSslPort: null,
        ssdpPort: null,
        traffic: false,
      });
      routers.push(second);
      expect(second.device.print('/system/identity', {}, ctx)[0]?.name).toBe('Kept');
      expect(second.device.backend.upnpStatus().showDummyRule).toBe(false);
      expect(second.device.backend.list('upnp')).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('returns every endpoint and stops cleanly (ports are free again)', async () => {
    const r = await startDemoRouter({ scenario: 'home', apiSslPort: null, traffic: false });
    const { apiPort } = r.endpoints;
    expect(r.endpoints.rootDescriptionUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/gateway\.xml$/);
    expect(r.endpoints.ssdpPort).toBeGreaterThan(0);
    await r.stop();
    const again = net.createServer();
    await new Promise<void>((res, rej) => {
      again.once('error', rej);
      again.listen(apiPort, '127.0.0.1', () => res());
    });
    again.close();
  });

  it.each(['routeros7', 'seed'] as const)(
    '%s: the IGD description’s model number and name agree with /system/resource and /system/identity',
    async (profile) => {
      const r = await startDemoRouter({ profile, scenario: 'home', apiSslPort: null, ssdpPort: null, traffic: false });
      routers.push(r);
      const xml = await (await fetch(r.endpoints.rootDescriptionUrl)).text();
      const version = r.device.table('/system/resource').singleton().version ?? '';
      expect(version.length).toBeGreaterThan(0);
      const model = /<modelNumber>([^<]*)<\/modelNumber>/.exec(xml)?.[1];
      expect(model).toBe(version.split(' ')[0]);
      expect(xml).toContain('<friendlyName>HomeRouter</friendlyName>');
    },
  );
});
