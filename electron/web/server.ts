import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { TOKEN_COOKIE, WS_PATH } from '../../shared/contract/wire';
import type { Dispatcher } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';
import { allowedAuthorities, isLoopback, newToken, requestToken, sameToken } from './auth';
import { contentSecurityPolicy } from './csp';
import { loadStatic } from './static';
import { bindWebSocket } from './ws-binding';

export interface WebHostOptions {
  dispatcher: Dispatcher;
  hub: EventHub;
  /** The built renderer (out/renderer). */
  rendererDir: string;
  host?: string;
  /** 0 = random. */
  port?: number;
  token?: string;
  /** Required to listen on anything but loopback (the token is then all that protects the router). */
  allowRemote?: boolean;
  log?: (line: string) => void;
}

export interface WebHost {
  url: string;
  host: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

/** Thrown before listening when the options are unsafe or wrong; the CLI prints it and exits 2. */
export class WebHostOptionError extends Error {}

/**
 * Web mode: the built renderer and the contract over a WebSocket, on 127.0.0.1 with a random token
 * required on every HTTP request and on the upgrade, whose Origin and Host must be this host.
 */
export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const host = options.host ?? '127.0.0.1';
  if (!isLoopback(host) && !options.allowRemote) {
    throw new WebHostOptionError(
      `Refusing to listen on ${host}: web mode controls your router, so it stays on this computer unless you pass --allow-remote.`,
    );
  }
  const token = options.token ?? newToken();
  const log = options.log ?? (() => {});
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });
  const unbind = bindWebSocket(wss, options.dispatcher, options.hub, log);
  let authorities = new Set<string>();

  const server = createServer((req, res) => {
    void serveHttp(req, res).catch((err: unknown) => {
      log(`http error: ${String(err)}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });

  async function serveHttp(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!authorities.has(req.headers.host ?? '')) return deny(res, 403, 'Unknown Host header.');
    const { fromQuery, fromCookie } = requestToken(req);
    const given = fromQuery ?? fromCookie;
    if (!sameToken(token, given)) {
      return deny(
        res,
        401,
        'PortPilot web mode needs its access token: open the full URL printed by `npm start` or `npm run serve`.',
      );
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return deny(res, 405, 'Method not allowed.');
    const url = new URL(req.url ?? '/', 'http://x');
    const file = await loadStatic(options.rendererDir, url.pathname);
    if (!file) return deny(res, 404, 'Not found. Did you run `npm run build`?');
    const headers: Record<string, string> = {
      'Content-Type': file.type,
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
      'Content-Security-Policy': contentSecurityPolicy(`ws://${req.headers.host}`),
    };
    if (fromQuery) headers['Set-Cookie'] = `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`;
    res.writeHead(200, headers).end(req.method === 'HEAD' ? undefined : file.body);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const refuse = (status: number, reason: string) => {
      log(`websocket refused: ${reason}`);
      socket.end(`HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    };
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== WS_PATH) return refuse(404, 'Not Found');
    if (!authorities.has(req.headers.host ?? '')) return refuse(403, 'Forbidden');
    const { fromQuery, fromCookie } = requestToken(req);
    if (!sameToken(token, fromQuery ?? fromCookie)) return refuse(401, 'Unauthorized');
    const origin = req.headers.origin ?? '';
    if (![...authorities].some((a) => origin === `http://${a}`)) return refuse(403, 'Forbidden');
    wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  authorities = allowedAuthorities(host, port);
  const shownHost = host.includes(':') ? `[${host}]` : host;

  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    host,
    port,
    token,
    close: async () => {
      unbind();
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function deny(res: ServerResponse, status: number, message: string): void {
  res
    .writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
    .end(`${message}\n`);
}
