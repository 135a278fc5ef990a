import { mkdtempSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { domainList } from '../../shared/domains';
import { mappingsDomain } from '../../shared/domains/mappings';
import { createDispatcher } from '../host/dispatcher';
import { testServices } from '../../tests/support/services';
import { startWebHost, WebHostOptionError, type WebHost } from './server';

const rendererDir = mkdtempSync(path.join(tmpdir(), 'pp-renderer-'));
writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>PortPilot</title>');
writeFileSync(path.join(rendererDir, 'app.js'), 'console.log(1)');

let host: WebHost;
let services: ReturnType<typeof testServices>;

beforeAll(async () => {
  services = testServices();
  host = await startWebHost({
    dispatcher: createDispatcher(domainList, services.services),
    hub: services.hub,
    rendererDir,
  });
});
afterAll(async () => {
  await host.close();
  services.dispose();
});

function get(pathAndQuery: string, headers: Record<string, string> = {}) {
  return new Promise<{ status: number; headers: Record<string, unknown>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path: pathAndQuery, headers }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function connect(options: { token?: string; origin?: string; cookie?: string }) {
  const query = options.token ? `?token=${options.token}` : '';
  const headers: Record<string, string> = {};
  if (options.cookie) headers['Cookie'] = options.cookie;
  return new WebSocket(`ws://127.0.0.1:${host.port}/ws${query}`, { headers, origin: options.origin });
}

function upgradeStatus(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => {
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      resolve(101);
      ws.close();
    });
    ws.on('error', () => {});
  });
}

describe('web mode host', () => {
  it('listens on loopback and prints a URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(32);
  });

  it('answers 401 without a token or with a wrong one', async () => {
    expect((await get('/')).status).toBe(401);
    expect((await get('/app.js')).status).toBe(401);
    expect((await get('/?token=wrong')).status).toBe(401);
    expect((await get('/', { Cookie: 'portpilot_token=wrong' })).body).toMatch(/needs its access token/);
  });

  it('serves the app with the right token, sets an HttpOnly cookie, and then accepts the cookie alone', async () => {
    const first = await get(`/?token=${host.token}`);
    expect(first.status).toBe(200);
    expect(first.body).toContain('<title>PortPilot</title>');
    expect(String(first.headers['set-cookie'])).toMatch(/portpilot_token=.*HttpOnly; SameSite=Strict/);
    expect(String(first.headers['content-security-policy'])).toContain("script-src 'self'");
    const asset = await get('/app.js', { Cookie: `portpilot_token=${host.token}` });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
  });

  it('refuses a foreign Host header (DNS rebinding) and paths outside the UI folder', async () => {
    expect((await get(`/?token=${host.token}`, { Host: 'evil.example:80' })).status).toBe(403);
    const escaped = await get(`/..%2f..%2fetc%2fpasswd?token=${host.token}`);
    expect(escaped.body).not.toContain('root:');
  });

  it('rejects a WebSocket upgrade without a token (401) or from a foreign Origin (403)', async () => {
    expect(await upgradeStatus(connect({ origin: `http://127.0.0.1:${host.port}` }))).toBe(401);
    expect(await upgradeStatus(connect({ token: 'nope', origin: `http://127.0.0.1:${host.port}` }))).toBe(401);
    expect(await upgradeStatus(connect({ token: host.token, origin: 'http://evil.example' }))).toBe(403);
    expect(await upgradeStatus(connect({ token: host.token }))).toBe(403);
  });

  it('carries calls and events over an authorised socket (cookie and localhost origin)', async () => {
    const ws = connect({ cookie: `portpilot_token=${host.token}`, origin: `http://localhost:${host.port}` });
    const frames: Array<{ t: string; id?: number; ch?: string; r?: unknown }> = [];
    ws.on('message', (data) => frames.push(JSON.parse(data.toString())));
    await new Promise((resolve) => ws.on('open', resolve));
    ws.send(JSON.stringify({ t: 'call', id: 7, ch: 'app:ping' }));
    ws.send(JSON.stringify({ t: 'call', id: 8, ch: 'app:nope' }));
    ws.send(JSON.stringify({ t: 'call', id: 9, ch: 'app:setBackground', in: { startAtLogin: 42 } }));
    await expect.poll(() => frames.filter((f) => f.t === 'res').length).toBe(3);
    const byId = (id: number) => frames.find((f) => f.id === id)?.r;
    expect(byId(7)).toMatchObject({ ok: true, value: { pong: true } });
    expect(byId(8)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    expect(byId(9)).toMatchObject({
      ok: false,
      error: { code: 'validation', message: expect.stringContaining('startAtLogin') },
    });
    services.hub.sink(mappingsDomain)('status', { phase: 'live', message: null, count: 3 });
    await expect
      .poll(() => frames.some((f) => f.t === 'evt' && f.ch === 'mappings:event:status'), { timeout: 3000 })
      .toBe(true);
    ws.close();
  });

  it('closes a socket that sends a malformed frame', async () => {
    const ws = connect({ token: host.token, origin: `http://127.0.0.1:${host.port}` });
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send('{not json');
    expect(await closed).toBe(1008);
  });

  it('closes a socket that sends a frame over the 1 MiB limit (1009), before the frame is handled', async () => {
    const ws = connect({ token: host.token, origin: `http://127.0.0.1:${host.port}` });
    await new Promise((resolve) => ws.on('open', resolve));
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)));
    ws.send(JSON.stringify({ t: 'call', id: 1, ch: 'app:ping', in: { text: 'x'.repeat(2 * 1024 * 1024) } }));
    expect(await closed).toBe(1009);
  });

  it('will not listen beyond loopback without the explicit flag', async () => {
    await expect(
      startWebHost({ dispatcher: createDispatcher([], {}), hub: services.hub, rendererDir, host: '0.0.0.0' }),
    ).rejects.toBeInstanceOf(WebHostOptionError);
  });
});
