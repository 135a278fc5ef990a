/**
 * The demo router's UPnP IGD face: an HTTP server (root description at /gateway.xml like
 * RouterOS on TCP 2828, SCPDs, SOAP control) and an SSDP responder on its own UDP socket.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { MappingBackend } from '../mapping-backend';
import { DEFAULT_IDENTITY, buildRootDescription, buildScpd, type DeviceIdentity } from './description';
import { dispatch } from './dispatcher';
import { IgdSoapFault } from './errors';
import { SERVICES, findService } from './services';
import { buildSoapFault, buildSoapResponse, parseSoapRequest } from './soap';
import { SSDP_PORT, SSDP_SERVER, type MSearch } from './ssdp';
import { startSsdpResponder, type SsdpResponder } from './ssdp-server';

export interface IgdOptions {
  backend: MappingBackend;
  host: string;
  /** 0 = random. */
  httpPort: number;
  /** Default 1900; 0 = random; null = no SSDP. */
  ssdpPort?: number | null;
  /** Join 239.255.255.250 on the host's interface where the OS allows; failures are logged. */
  multicast?: boolean;
  identity?: Partial<DeviceIdentity>;
  /** Test hook: SSDP response delay in ms (default random within MX, capped at 1 s). */
  ssdpResponseDelay?: (search: MSearch) => number;
  log?: (line: string) => void;
}

export interface IgdServer {
  rootDescriptionUrl: string;
  httpPort: number;
  ssdpPort: number | null;
  close(): Promise<void>;
}

export const ROOT_DESCRIPTION_PATH = '/gateway.xml';
/** SOAP requests are a few hundred bytes; anything near this is not a UPnP client. */
const MAX_BODY_BYTES = 16 * 1024;
const XML_TYPE = 'text/xml; charset="utf-8"';

interface Context {
  backend: MappingBackend;
  identity: DeviceIdentity;
  log: (line: string) => void;
}

function send(res: http.ServerResponse, status: number, body: string, type = XML_TYPE): void {
  res.writeHead(status, { 'Content-Type': type, 'Content-Length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        resolve(undefined);
        req.removeAllListeners('data');
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const peerAddress = (req: http.IncomingMessage): string => (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');

async function handleControl(
  ctx: Context,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
): Promise<void> {
  const service = findService(path);
  if (!service) return send(res, 404, 'Not Found', 'text/plain');
  if (req.method !== 'POST') return send(res, 405, 'Method Not Allowed', 'text/plain');
  const body = await readBody(req);
  if (body === undefined) return send(res, 413, 'Payload Too Large', 'text/plain');
  const clientAddress = peerAddress(req);
  const header = req.headers.soapaction;
  try {
    const request = parseSoapRequest(body, Array.isArray(header) ? header[0] : header);
    const version = ctx.backend.igdVersion();
    const result = dispatch({ backend: ctx.backend, clientAddress }, service, version, request);
    ctx.log(`igd: ${clientAddress} ${request.action} ok`);
    send(res, 200, buildSoapResponse(result.serviceType, request.action, result.out));
  } catch (error) {
    const fault = error instanceof IgdSoapFault ? error : new IgdSoapFault(501, (error as Error).message);
    ctx.log(`igd: ${clientAddress} ${fault.message}`);
    // UDA 1.0 §3.2.2: a UPnP error is HTTP 500 with the fault envelope.
    send(res, 500, buildSoapFault(fault));
  }
}

async function handle(ctx: Context, req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  // RouterOS runs no UPnP listener while the service is off: the connection is dropped as if refused.
  if (!ctx.backend.upnpStatus().enabled) {
    ctx.log(`igd: UPnP disabled, dropping ${req.method} ${req.url} from ${peerAddress(req)}`);
    req.socket.destroy();
    return;
  }
  const path = new URL(req.url ?? '/', 'http://x').pathname;
  const version = ctx.backend.igdVersion();
  const isRead = req.method === 'GET' || req.method === 'HEAD';
  if (path === ROOT_DESCRIPTION_PATH) {
    return isRead
      ? send(res, 200, buildRootDescription(version, ctx.identity))
      : send(res, 405, 'Method Not Allowed', 'text/plain');
  }
  const scpd = Object.values(SERVICES).find((s) => s.scpdPath === path);
  if (scpd)
    return isRead ? send(res, 200, buildScpd(scpd, version)) : send(res, 405, 'Method Not Allowed', 'text/plain');
  // Eventing (GENA) is not offered; clients that try SUBSCRIBE learn so (UDA 1.0 §4.1.1).
  if (Object.values(SERVICES).some((s) => s.eventPath === path)) return send(res, 501, 'Not Implemented', 'text/plain');
  return handleControl(ctx, req, res, path);
}

function listen(server: http.Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export async function startIgd(opts: IgdOptions): Promise<IgdServer> {
  const log = opts.log ?? (() => undefined);
  const identity = { ...DEFAULT_IDENTITY, ...opts.identity };
  const ctx: Context = { backend: opts.backend, identity, log };
  const server = http.createServer({ maxHeaderSize: 8192, requestTimeout: 10_000 }, (req, res) => {
    handle(ctx, req, res).catch((error: Error) => {
      log(`igd: request failed ${error.message}`);
      if (!res.headersSent) send(res, 500, 'Internal Server Error', 'text/plain');
    });
  });
  const httpPort = await listen(server, opts.host, opts.httpPort);
  const rootDescriptionUrl = `http://${opts.host}:${httpPort}${ROOT_DESCRIPTION_PATH}`;
  let ssdp: SsdpResponder | undefined;
  const ssdpPort = opts.ssdpPort === undefined ? SSDP_PORT : opts.ssdpPort;
  if (ssdpPort !== null) {
    try {
      ssdp = await startSsdpResponder({
        host: opts.host,
        port: ssdpPort,
        multicast: opts.multicast ?? false,
        advert: { location: rootDescriptionUrl, maxAgeSeconds: 1800, server: SSDP_SERVER(identity.modelNumber) },
        identity,
        version: () => opts.backend.igdVersion(),
        enabled: () => opts.backend.upnpStatus().enabled,
        responseDelay: opts.ssdpResponseDelay,
        log,
      });
    } catch (error) {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      throw error;
    }
  }
  log(`igd: listening ${rootDescriptionUrl}${ssdp ? `, ssdp udp ${opts.host}:${ssdp.port}` : ''}`);
  return {
    rootDescriptionUrl,
    httpPort,
    ssdpPort: ssdp?.port ?? null,
    async close() {
      await ssdp?.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
