import net from 'node:net';
/**
 * API-SSL trust on first use against the demo router: a self-signed certificate (fingerprint shown,
 * pinned, refused once it changes) and a certificate-less router (anonymous DH).
 */
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { RouterConnectionError } from './errors';
import { RouterSession } from './session';
import type { RouterTarget } from './target';
import { ANONYMOUS_PIN, normalizeFingerprint, probeTlsFingerprint } from './tls';
import { testConnection } from './test-connection';

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

async function sslRouter(dataDir: string, apiSslPort = 0): Promise<{ r: DemoRouter; fingerprint: string }> {
  const r = await startDemoRouter({ apiSslPort, dataDir, password: 'pw', traffic: false, ssdpPort: null });
  cleanups.push(() => r.stop());
  const pem = await readFile(join(dataDir, 'api-ssl.crt'), 'utf8');
  return { r, fingerprint: new X509Certificate(pem).fingerprint256 };
}

async function tempDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'portpilot-tls-'));
  cleanups.push(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

function sslTarget(port: number, pin?: string | null): RouterTarget {
  return { host: '127.0.0.1', port, transport: 'api-ssl', user: 'admin', password: 'pw', pinnedFingerprint: pin };
}

function session(t: RouterTarget): RouterSession {
  const s = new RouterSession(t, { backoff: { baseMs: 50, maxMs: 100 } });
  cleanups.push(() => s.close());
  return s;
}

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('API-SSL with a self-signed certificate', () => {
  it('shows the fingerprint on first contact and refuses to log in until it is pinned', async () => {
    const { r, fingerprint } = await sslRouter(await tempDir());
    const port = r.endpoints.apiSslPort ?? 0;
    expect(await probeTlsFingerprint('127.0.0.1', port)).toEqual({ anonymous: false, fingerprint });
    const err = await session(sslTarget(port))
      .connect()
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RouterConnectionError);
    expect(err).toMatchObject({ kind: 'tls-untrusted', detail: { fingerprint } });
    // Pinned (in any common spelling), it connects.
    const pin = fingerprint.replace(/:/g, '').toLowerCase();
    const caps = await session(sslTarget(port, pin)).connect();
    expect(caps.tls).toEqual({ anonymous: false, fingerprint });
    expect(caps.identity).toBe('HomeRouter');
    expect(normalizeFingerprint(pin)).toBe(fingerprint);
  });

  it('refuses with an explanation when the certificate changes, and does not retry', async () => {
    const first = await sslRouter(await tempDir());
    const port = first.r.endpoints.apiSslPort ?? 0;
    const s = session(sslTarget(port, first.fingerprint));
    await s.connect();
    await first.r.stop();
    await until(() => s.state.kind === 'reconnecting');
    const second = await sslRouter(await tempDir(), port);
    expect(second.fingerprint).not.toBe(first.fingerprint);
    await until(() => s.state.kind === 'disconnected');
    expect(s.state).toMatchObject({ kind: 'disconnected', error: { kind: 'tls-fingerprint-changed' } });
    const message = s.state.kind === 'disconnected' ? s.state.reason : '';
    expect(message).toContain(first.fingerprint);
    expect(message).toContain(second.fingerprint);
    expect(message).toMatch(/certificate/);
  });

  it('a TLS client on the plain API port fails the handshake with a hint', async () => {
    const { r } = await sslRouter(await tempDir());
    const err = await session(sslTarget(r.endpoints.apiPort, 'AA:BB'))
      .connect()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'tls-handshake' });
    expect((err as Error).message).toMatch(/8729/);
  });

  it('a port that accepts TCP but never answers the TLS hello is a handshake failure, not a timeout', async () => {
    const sockets = new Set<net.Socket>();
    const silent = net.createServer((socket) => sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    cleanups.push(async () => {
      sockets.forEach((socket) => socket.destroy());
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    });
    const port = (silent.address() as net.AddressInfo).port;
    const err = await session({ ...sslTarget(port, 'AA:BB'), connectTimeoutMs: 800 })
      .connect()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'tls-handshake' });
    expect((err as Error).message).toMatch(/8729/);
  });
});

describe('API-SSL without a certificate (anonymous DH)', () => {
  /** The demo router as `--api-ssl-cert none` starts it: like a RouterOS api-ssl without a certificate. */
  async function anonRouter(dataDir?: string): Promise<number> {
    const r = await startDemoRouter({
      apiSslCert: 'none',
      dataDir,
      password: 'pw',
      traffic: false,
      ssdpPort: null,
    });
    cleanups.push(() => r.stop());
    expect(r.endpoints).toMatchObject({ apiSslCert: 'none', apiSslFingerprint: null });
    return r.endpoints.apiSslPort ?? 0;
  }

  it('makes and keeps no certificate', async () => {
    const dir = await tempDir();
    await anonRouter(dir);
    await expect(readdir(dir)).resolves.toEqual([]);
  });

  it('testConnection says the link is encrypted but not authenticated, then logs in', async () => {
    const steps = await testConnection(sslTarget(await anonRouter()));
    expect(steps.map((s) => [s.id, s.status])).toEqual([
      ['tcp', 'pass'],
      ['tls', 'pass'],
      ['login', 'pass'],
      ['version', 'pass'],
    ]);
    expect(steps[1]?.tls).toEqual({ anonymous: true, trustRequired: true });
    expect(steps[1]?.detail).toMatch(/^Encrypted but not authenticated: the router has no certificate/);
    const pinned = await testConnection(sslTarget(await anonRouter(), ANONYMOUS_PIN));
    expect(pinned[1]?.detail).toMatch(/not authenticated.*Accepted for this profile/);
  });

  it('is reported as anonymous, must be accepted, then connects', async () => {
    const port = await anonRouter();
    expect(await probeTlsFingerprint('127.0.0.1', port)).toEqual({ anonymous: true });
    const err = await session(sslTarget(port))
      .connect()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({ kind: 'tls-untrusted', detail: { anonymous: true } });
    expect((err as Error).message).toMatch(/without a certificate/);
    const caps = await session(sslTarget(port, ANONYMOUS_PIN)).connect();
    expect(caps.tls).toEqual({ anonymous: true });
  });

  it('a router that was pinned by fingerprint and now has no certificate is refused', async () => {
    const port = await anonRouter();
    const err = await session(sslTarget(port, 'AB:CD:EF'))
      .connect()
      .catch((e: unknown) => e);
    expect(err).toMatchObject({
      kind: 'tls-fingerprint-changed',
      detail: { anonymous: true, pinnedFingerprint: 'AB:CD:EF' },
    });
  });
});

describe('testConnection', () => {
  it('reports tcp, tls (fingerprint to accept), login and version for API-SSL', async () => {
    const { r, fingerprint } = await sslRouter(await tempDir());
    const steps = await testConnection(sslTarget(r.endpoints.apiSslPort ?? 0));
    expect(steps.map((s) => [s.id, s.status])).toEqual([
      ['tcp', 'pass'],
      ['tls', 'pass'],
      ['login', 'pass'],
      ['version', 'pass'],
    ]);
    expect(steps[1]?.tls).toEqual({ anonymous: false, fingerprint, trustRequired: true });
    expect(steps[3]?.detail).toMatch(/RouterOS .* identity "HomeRouter"/);
  });

  it('skips TLS on plain API and stops at a wrong password', async () => {
    const { r } = await sslRouter(await tempDir());
    const t: RouterTarget = {
      host: '127.0.0.1',
      port: r.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
      password: 'nope',
    };
    const steps = await testConnection(t);
    expect(steps.map((s) => [s.id, s.status])).toEqual([
      ['tcp', 'pass'],
      ['tls', 'skip'],
      ['login', 'fail'],
      ['version', 'skip'],
    ]);
    expect(steps[2]).toMatchObject({ errorKind: 'login' });
  });

  it('stops at TCP when nothing listens', async () => {
    const { r } = await sslRouter(await tempDir());
    const port = r.endpoints.apiPort;
    await r.stop();
    const steps = await testConnection({ host: '127.0.0.1', port, transport: 'api', user: 'admin', password: 'pw' });
    expect(steps.map((s) => s.status)).toEqual(['fail', 'skip', 'skip', 'skip']);
    expect(steps[0]).toMatchObject({ errorKind: 'refused' });
  });

  it('fails the TLS step when the pinned certificate changed', async () => {
    const { r } = await sslRouter(await tempDir());
    const steps = await testConnection(sslTarget(r.endpoints.apiSslPort ?? 0, 'AB:CD'));
    expect(steps.map((s) => s.status)).toEqual(['pass', 'fail', 'skip', 'skip']);
    expect(steps[1]).toMatchObject({ errorKind: 'tls-fingerprint-changed' });
  });
});
