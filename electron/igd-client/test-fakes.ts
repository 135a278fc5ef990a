// Test-only fakes bound to 127.0.0.1 on random ports: an IGD (description + SOAP control) and a
// NAT-PMP responder. They implement just enough of miniupnpd's observable behaviour
// (igd-lab-facts table) for unit tests; the interop lab checks the real thing.
import http from 'node:http';
import dgram from 'node:dgram';
import type { AddressInfo } from 'node:net';

export function descriptionXml(opts: {
  version: 1 | 2;
  controlUrl: string;
  urlBase?: string;
  manufacturer?: string;
  ppp?: boolean;
}): string {
  const v = opts.version;
  const svc = opts.ppp
    ? 'urn:schemas-upnp-org:service:WANPPPConnection:1'
    : `urn:schemas-upnp-org:service:WANIPConnection:${v}`;
  return `<?xml version="1.0"?>
<root xmlns="urn:schemas-upnp-org:device-1-0"><specVersion><major>1</major><minor>${v === 2 ? 1 : 0}</minor></specVersion>
${opts.urlBase ? `<URLBase>${opts.urlBase}</URLBase>` : ''}
<device><deviceType>urn:schemas-upnp-org:device:InternetGatewayDevice:${v}</deviceType>
<friendlyName>Fake &amp; Router</friendlyName><manufacturer>${opts.manufacturer ?? 'Fake'}</manufacturer><modelName>F${v}</modelName>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:Layer3Forwarding:1</serviceType><controlURL>/ctl/L3F</controlURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANDevice:${v}</deviceType>
<serviceList><service><serviceType>urn:schemas-upnp-org:service:WANCommonInterfaceConfig:1</serviceType><controlURL>/ctl/CmnIfCfg</controlURL></service></serviceList>
<deviceList><device><deviceType>urn:schemas-upnp-org:device:WANConnectionDevice:${v}</deviceType>
<serviceList><service><serviceType>${svc}</serviceType><serviceId>urn:upnp-org:serviceId:WANIPConn1</serviceId><controlURL>${opts.controlUrl}</controlURL></service></serviceList>
</device></deviceList></device></deviceList></device></root>`;
}

export function faultXml(code: number, description: string): string {
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><s:Fault><faultcode>s:Client</faultcode><faultstring>UPnPError</faultstring><detail><UPnPError xmlns="urn:schemas-upnp-org:control-1-0"><errorCode>${code}</errorCode><errorDescription>${description}</errorDescription></UPnPError></detail></s:Fault></s:Body></s:Envelope>`;
}

export function responseXml(action: string, serviceType: string, args: Record<string, string | number>): string {
  const body = Object.entries(args)
    .map(([k, v]) => `<${k}>${v}</${k}>`)
    .join('');
  return `<?xml version="1.0"?><s:Envelope xmlns:s="http://schemas.xmlsoap.org/soap/envelope/"><s:Body><u:${action}Response xmlns:u="${serviceType}">${body}</u:${action}Response></s:Body></s:Envelope>`;
}

export interface SoapRequest {
  action: string;
  serviceType: string;
  args: Record<string, string>;
  url: string;
}

export type Route = (req: {
  url: string;
  method: string;
  soap: SoapRequest | null;
}) => { status?: number; body: string; delayMs?: number } | undefined;

export interface FakeHttp {
  base: string;
  requests: SoapRequest[];
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1:0 answering with `route`; SOAP requests are decoded for assertions. */
export async function startFakeHttp(route: Route): Promise<FakeHttp> {
  const requests: SoapRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const header = String(req.headers['soapaction'] ?? '').replace(/"/g, '');
      let soap: SoapRequest | null = null;
      if (header.includes('#')) {
        const [serviceType = '', action = ''] = header.split('#');
        const args: Record<string, string> = {};
        const body = Buffer.concat(chunks).toString('utf8');
        for (const m of body.matchAll(/<(New[A-Za-z]+)>([^<]*)<\/\1>/g)) args[m[1] ?? ''] = m[2] ?? '';
        soap = { action, serviceType, args, url: req.url ?? '' };
        requests.push(soap);
      }
      const out = route({ url: req.url ?? '', method: req.method ?? '', soap }) ?? { status: 404, body: 'not found' };
      setTimeout(() => {
        res.writeHead(out.status ?? 200, { 'Content-Type': 'text/xml' });
        res.end(out.body);
      }, out.delayMs ?? 0);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    base: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

export interface FakeUdp {
  port: number;
  received: Buffer[];
  socket: dgram.Socket;
  close(): Promise<void>;
}

/** A UDP responder on 127.0.0.1:0; `reply` returns the answer (or null to stay silent). */
export async function startFakeUdp(
  reply: (msg: Buffer, count: number, from: dgram.RemoteInfo) => Buffer | null,
  address = '127.0.0.1',
): Promise<FakeUdp> {
  const socket = dgram.createSocket('udp4');
  const received: Buffer[] = [];
  socket.on('message', (msg, rinfo) => {
    received.push(msg);
    const out = reply(msg, received.length, rinfo);
    if (out) socket.send(out, rinfo.port, rinfo.address);
  });
  await new Promise<void>((r) => socket.bind(0, address, r));
  return {
    port: socket.address().port,
    received,
    socket,
    close: () => new Promise<void>((r) => socket.close(() => r())),
  };
}
