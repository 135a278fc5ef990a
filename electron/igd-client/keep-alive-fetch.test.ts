import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { keepAliveFetch } from './keep-alive-fetch';

const servers: http.Server[] = [];
afterEach(async () => {
  for (const s of servers.splice(0)) await new Promise((r) => s.close(r));
});

async function serve(handler: http.RequestListener): Promise<string> {
  const server = http.createServer(handler);
  servers.push(server);
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('keepAliveFetch', () => {
  it('posts a body with headers and returns status, headers and body; reuses the connection', async () => {
    const sockets = new Set<unknown>();
    const base = await serve((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        res.writeHead(500, { 'Content-Type': 'text/xml', 'X-Got': `${req.method} ${req.headers.soapaction} ${body}` });
        res.end('<fault/>');
      });
    });
    const f = keepAliveFetch({ maxSockets: 1 });
    for (let i = 0; i < 3; i++) {
      const res = await f(`${base}/ctl`, { method: 'POST', headers: { SOAPAction: '"x#y"' }, body: 'hello' });
      expect(res.status).toBe(500);
      expect(res.headers.get('x-got')).toBe('POST "x#y" hello');
      expect(await res.text()).toBe('<fault/>');
    }
    expect(sockets.size).toBe(1);
    f.close();
  });

  it('rejects with the signal’s reason on timeout, on redirects when asked, and beyond maxBytes', async () => {
    const base = await serve((req, res) => {
      if (req.url === '/slow') return void setTimeout(() => res.end('late'), 2000);
      if (req.url === '/moved') return void (res.writeHead(302, { Location: '/x' }), res.end());
      res.end('x'.repeat(5000));
    });
    const f = keepAliveFetch({ maxBytes: 1000 });
    await expect(f(`${base}/slow`, { signal: AbortSignal.timeout(50) })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    await expect(f(`${base}/moved`, { redirect: 'error' })).rejects.toThrow('redirect');
    await expect(f(`${base}/big`)).rejects.toBeInstanceOf(RangeError);
    await expect(f('https://127.0.0.1/')).rejects.toThrow('http: URLs');
    f.close();
  });

  it('post: one SOAP POST per request on a kept-alive socket; status, Location and text, no redirect followed', async () => {
    const sockets = new Set<unknown>();
    const seen: string[] = [];
    const base = await serve((req, res) => {
      sockets.add(req.socket);
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        seen.push(`${req.method} ${req.headers['content-length']} ${req.headers.soapaction} ${body}`);
        if (req.url === '/moved') return void (res.writeHead(301, { Location: 'http://127.0.0.2/x' }), res.end('gone'));
        res.end('<ok/>');
      });
    });
    const f = keepAliveFetch({ maxSockets: 1 });
    const req = { headers: { SOAPAction: '"x#y"' }, body: 'héllo', timeoutMs: 1000, maxBytes: 100 };
    for (let i = 0; i < 3; i++)
      expect(await f.post({ ...req, url: `${base}/ctl` })).toEqual({ status: 200, location: null, body: '<ok/>' });
    expect(await f.post({ ...req, url: `${base}/moved` })).toEqual({
      status: 301,
      location: 'http://127.0.0.2/x',
      body: '',
    });
    expect(seen).toEqual(Array(4).fill('POST 6 "x#y" héllo'));
    expect(sockets.size).toBe(1);
    f.close();
  });
});
