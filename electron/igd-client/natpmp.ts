// NAT-PMP client (RFC 6886) over an injected UDP socket factory. One socket per request, closed
// when the request settles, so a CLI using it exits by itself.
import dgram from 'node:dgram';
import { NatPmpError, NatPmpResultError } from './errors';
import {
  NATPMP_PORT,
  answersOpcode,
  decodeResponse,
  encodeExternalAddressRequest,
  encodeMapRequest,
  mapOpcode,
  type NatPmpProtocol,
  type NatPmpResponse,
} from '../natpmp/codec';

export interface NatPmpClientOptions {
  gateway: string;
  /** 5351 per RFC 6886 §3; only tests change it. */
  port?: number;
  /** RFC 6886 §3.1 retries 9 times (250 ms doubling, ~64 s in all). A self-test must not hang a
   *  minute on a gateway without NAT-PMP, so the default is 4 tries: 250+500+1000+2000 = 3.75 s. */
  tries?: number;
  initialTimeoutMs?: number;
  createSocket?: () => dgram.Socket;
}

export interface NatPmpMapping {
  protocol: NatPmpProtocol;
  internalPort: number;
  /** The port the gateway actually granted; miniupnpd silently gives another one when the
   *  suggested port is taken or denied (igd-lab-facts), so always use this, not the suggestion. */
  externalPort: number;
  lifetime: number;
  epoch: number;
}

export class NatPmpClient {
  private readonly port: number;
  private readonly tries: number;
  private readonly initialTimeoutMs: number;
  private readonly createSocket: () => dgram.Socket;

  constructor(private readonly opts: NatPmpClientOptions) {
    this.port = opts.port ?? NATPMP_PORT;
    this.tries = Math.max(1, opts.tries ?? 4);
    this.initialTimeoutMs = opts.initialTimeoutMs ?? 250;
    this.createSocket = opts.createSocket ?? (() => dgram.createSocket('udp4'));
  }

  get gateway(): string {
    return this.opts.gateway;
  }

  async externalAddress(): Promise<{ address: string; epoch: number }> {
    const r = await this.request(encodeExternalAddressRequest(), 0);
    // The decoder only lets a success through with its body, so a header-only answer is a failure.
    if (r.resultCode !== 0 || r.kind !== 'external-address') throw new NatPmpResultError(r.resultCode);
    return { address: r.externalAddress, epoch: r.epoch };
  }

  /** Requests a mapping; lifetime in seconds (RFC 6886 §3.3 recommends 7200). */
  async map(req: {
    protocol: NatPmpProtocol;
    internalPort: number;
    suggestedExternalPort?: number;
    lifetime?: number;
  }): Promise<NatPmpMapping> {
    const lifetime = req.lifetime ?? 7200;
    if (lifetime === 0) throw new NatPmpError('bad-argument', 'lifetime 0 deletes a mapping: use unmap()');
    checkPort(req.internalPort, 'internalPort', false);
    checkPort(req.suggestedExternalPort ?? 0, 'suggestedExternalPort', true);
    const r = await this.mapRaw({
      protocol: req.protocol,
      internalPort: req.internalPort,
      suggestedExternalPort: req.suggestedExternalPort ?? req.internalPort,
      lifetime,
    });
    return r;
  }

  /** Deletes a mapping: lifetime 0 and suggested external port 0 (RFC 6886 §3.4). */
  async unmap(req: { protocol: NatPmpProtocol; internalPort: number }): Promise<void> {
    checkPort(req.internalPort, 'internalPort', false);
    await this.mapRaw({
      protocol: req.protocol,
      internalPort: req.internalPort,
      suggestedExternalPort: 0,
      lifetime: 0,
    });
  }

  private async mapRaw(req: {
    protocol: NatPmpProtocol;
    internalPort: number;
    suggestedExternalPort: number;
    lifetime: number;
  }): Promise<NatPmpMapping> {
    const r = await this.request(encodeMapRequest({ ...req, lifetimeSeconds: req.lifetime }), mapOpcode(req.protocol));
    if (r.resultCode !== 0 || r.kind !== 'map') throw new NatPmpResultError(r.resultCode);
    return {
      protocol: req.protocol,
      internalPort: r.internalPort,
      externalPort: r.externalPort,
      lifetime: r.lifetimeSeconds,
      epoch: r.epoch,
    };
  }

  /** Sends `payload`, retrying 250 ms doubling (§3.1), until a response to `opcode` comes from the
   *  gateway's address and port (§3.1: "the client ... MUST ignore" replies from elsewhere). */
  private request(payload: Buffer, opcode: number): Promise<NatPmpResponse> {
    const socket = this.createSocket();
    return new Promise<NatPmpResponse>((resolve, reject) => {
      let attempt = 0;
      let timer: NodeJS.Timeout | undefined;
      let settled = false;
      const finish = (err: Error | null, value?: NatPmpResponse): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.removeAllListeners('message');
        // Settle only once the socket is really closed, so callers never see a live handle.
        socket.close(() => (err ? reject(err) : resolve(value as NatPmpResponse)));
      };
      socket.on('error', (e) => finish(e));
      socket.on('message', (msg, rinfo) => {
        if (rinfo.address !== this.opts.gateway || rinfo.port !== this.port) return;
        const value = decodeResponse(msg);
        if (value && answersOpcode(value) === opcode) finish(null, value);
      });
      const sendNext = (): void => {
        if (attempt >= this.tries) {
          const waited = this.initialTimeoutMs * (2 ** this.tries - 1);
          finish(
            new NatPmpError(
              'timeout',
              `no NAT-PMP answer from ${this.opts.gateway}:${this.port} after ${this.tries} tries (${waited} ms): NAT-PMP is off on the router, or this is not the gateway`,
            ),
          );
          return;
        }
        const wait = this.initialTimeoutMs * 2 ** attempt++;
        socket.send(payload, this.port, this.opts.gateway, () => undefined);
        timer = setTimeout(sendNext, wait);
      };
      socket.bind(0, () => sendNext());
    });
  }
}

function checkPort(port: number, field: string, zeroOk: boolean): void {
  if (!Number.isInteger(port) || port < (zeroOk ? 0 : 1) || port > 65535) {
    throw new NatPmpError(
      'bad-argument',
      `${field} must be an integer port${zeroOk ? ' 0' : ' 1'}..65535, got ${port}`,
    );
  }
}
