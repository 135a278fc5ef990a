/**
 * Tests and screenshots only: an RFC 5780 STUN responder on loopback, built from PortPilot's own codec
 * (electron/stun/codec.ts), so the app's NAT measurement can run end to end without the Internet.
 * It listens on two addresses and two ports (127.0.0.1 and 127.0.0.2, both loopback on Linux), answers
 * Binding requests with XOR-MAPPED-ADDRESS, RESPONSE-ORIGIN and OTHER-ADDRESS, and honours
 * CHANGE-REQUEST (RFC 5780 §7.2) and RESPONSE-PORT (§7.5). `rfc5780: false` makes a plain RFC 5389
 * server: one socket, no OTHER-ADDRESS, and 420 to CHANGE-REQUEST. Loopback has no NAT, so the app
 * measures "no NAT" against it: what it proves is the path, the consent and the screens.
 */
import dgram from 'node:dgram';
import { decodeMessage, encodeMessage, type StunAttributes } from '../../electron/stun/codec';

export interface StunResponder {
  /** "127.0.0.1:port": what the NAT setting is pointed at. */
  server: string;
  /** Binding requests received (a consent test checks that none came before the user agreed). */
  readonly requests: number;
  stop(): Promise<void>;
}

const PRIMARY_IP = '127.0.0.1';
const OTHER_IP = '127.0.0.2';

function bind(address: string, port: number): Promise<dgram.Socket> {
  return new Promise((resolve, reject) => {
    const s = dgram.createSocket('udp4');
    s.once('error', (e) => (s.close(), reject(e)));
    s.bind(port, address, () => resolve(s));
  });
}

/** Two ports free on both addresses (a port taken on the second address is tried again). */
async function bindQuad(): Promise<dgram.Socket[]> {
  for (let attempt = 0; attempt < 20; attempt++) {
    const opened: dgram.Socket[] = [];
    try {
      for (const _ of [1, 2]) {
        const s = await bind(PRIMARY_IP, 0);
        opened.push(s);
        opened.push(await bind(OTHER_IP, s.address().port));
      }
      return opened;
    } catch {
      for (const s of opened) s.close();
    }
  }
  throw new Error('no pair of UDP ports free on 127.0.0.1 and 127.0.0.2');
}

export async function startStunResponder(o: { rfc5780?: boolean } = {}): Promise<StunResponder> {
  const full = o.rfc5780 !== false;
  const sockets = full ? await bindQuad() : [await bind(PRIMARY_IP, 0)];
  const at = (s: dgram.Socket) => s.address();
  const find = (address: string, port: number) =>
    sockets.find((s) => at(s).address === address && at(s).port === port) ?? sockets[0]!;
  const [p1, p2] = [at(sockets[0]!).port, at(sockets[full ? 2 : 0]!).port];
  let requests = 0;

  const answer = (via: dgram.Socket, data: Buffer, from: dgram.RemoteInfo): void => {
    let m;
    try {
      m = decodeMessage(data);
    } catch {
      return;
    }
    if (m.cls !== 'request') return;
    requests++;
    const local = at(via);
    const change = m.attributes.changeRequest;
    const wantsChange = !!change && (change.changeIp || change.changePort);
    const reply = (src: dgram.Socket, attributes: StunAttributes, cls: 'success' | 'error', port = from.port) =>
      src.send(
        encodeMessage({ cls, transactionId: m.transactionId, attributes, fingerprint: true }),
        port,
        from.address,
      );
    if (wantsChange && !full)
      return reply(via, { errorCode: { code: 420, reason: 'Unknown Attribute' }, unknownAttributes: [3] }, 'error');
    const ip = change?.changeIp ? (local.address === PRIMARY_IP ? OTHER_IP : PRIMARY_IP) : local.address;
    const port = change?.changePort ? (local.port === p1 ? p2 : p1) : local.port;
    const src = wantsChange ? find(ip, port) : via;
    const attributes: StunAttributes = {
      xorMappedAddress: { family: 4, address: from.address, port: from.port },
      responseOrigin: { family: 4, address: at(src).address, port: at(src).port },
      software: 'PortPilot test responder',
    };
    if (full) attributes.otherAddress = { family: 4, address: OTHER_IP, port: p2 };
    reply(src, attributes, 'success', m.attributes.responsePort ?? from.port);
  };
  for (const s of sockets) s.on('message', (data, from) => answer(s, data, from));

  return {
    server: `${PRIMARY_IP}:${p1}`,
    get requests() {
      return requests;
    },
    stop: () => Promise.all(sockets.map((s) => new Promise<void>((r) => s.close(() => r())))).then(() => undefined),
  };
}
