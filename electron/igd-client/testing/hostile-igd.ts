/**
 * A misbehaving UPnP IGD for tests (issue 18): one HTTP server on loopback whose paths each attack
 * the IGD client. Endless bodies are written with backpressure, so the fixture stays small while the
 * client under test is the one that must bound its memory.
 *
 *   /foreign.xml      a valid description whose controlURL (or, with ?base, URLBase) names `foreignBase`
 *   /redirect         302 to `${foreignBase}/gateway.xml`
 *   /endless          200 with a body that never ends (no Content-Length)
 *   /declared-huge    200 announcing a 10 GB Content-Length
 *   /trickle          200 with a body of one byte every `intervalMs`
 *   /silent           accepts the request, never answers
 *   /fault?code=X     500 with a SOAP fault whose errorCode is X, verbatim
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { descriptionXml } from '../test-fakes';

export interface HostileIgd {
  base: string;
  /** Bytes of body written per path, to show a client stopped reading. */
  written: Map<string, number>;
  close(): Promise<void>;
}

export interface HostileIgdOptions {
  /** Where /foreign.xml and /redirect point: another host the client must never contact. */
  foreignBase: string;
  intervalMs?: number;
}

const CHUNK = Buffer.alloc(64 * 1024, 'A');

function faultXml(code: string): string {
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>Hostile</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`;
}

/** Writes CHUNKs until the client goes away, waiting for 'drain' whenever the socket is full. */
function endless(res: http.ServerResponse, count: (n: number) => void): void {
  let open = true;
  res.on('close', () => (open = false));
  const pump = (): void => {
    while (open) {
      count(CHUNK.length);
      if (!res.write(CHUNK)) return void res.once('drain', pump);
    }
  };
  pump();
}

function trickle(res: http.ServerResponse, intervalMs: number, count: (n: number) => void): void {
  const timer = setInterval(() => {
    count(1);
    res.write('<');
  }, intervalMs);
  res.on('close', () => clearInterval(timer));
}

export async function startHostileIgd(opts: HostileIgdOptions): Promise<HostileIgd> {
  const written = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const count = (n: number): void => void written.set(url.pathname, (written.get(url.pathname) ?? 0) + n);
    req.resume();
    switch (url.pathname) {
      case '/foreign.xml': {
        const xml = url.searchParams.has('base')
          ? descriptionXml({ version: 1, controlUrl: '/ctl', urlBase: `${opts.foreignBase}/` })
          : descriptionXml({ version: 1, controlUrl: `${opts.foreignBase}/ctl` });
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        return void res.end(xml);
      }
      case '/redirect':
        res.writeHead(302, { Location: `${opts.foreignBase}/gateway.xml` });
        return void res.end();
      case '/endless':
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        return endless(res, count);
      case '/declared-huge':
        res.writeHead(200, { 'Content-Type': 'text/xml', 'Content-Length': String(10 * 1024 ** 3) });
        return endless(res, count);
      case '/trickle':
        res.writeHead(200, { 'Content-Type': 'text/xml' });
        return trickle(res, opts.intervalMs ?? 1000, count);
      case '/silent':
        return;
      case '/fault':
        res.writeHead(500, { 'Content-Type': 'text/xml' });
        return void res.end(faultXml(url.searchParams.get('code') ?? ''));
      default:
        res.writeHead(404);
        res.end();
    }
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    written,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
