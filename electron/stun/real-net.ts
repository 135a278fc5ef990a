// The STUN ports over real sockets: node:dgram (UDP/IPv4), node:dns, node:os. Every socket is closed
// by its owner before a call settles, so a CLI run exits by itself.
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { lookup } from 'node:dns/promises';
import { isIPv4 } from 'node:net';
import { networkInterfaces } from 'node:os';
import { StunError } from './errors';
import type { StunNet, StunPorts, StunSocket, UdpEndpoint } from './ports';

/** getaddrinfo has no deadline of its own; a name that does not resolve in this time fails. */
const RESOLVE_TIMEOUT_MS = 5000;

function wrapSocket(socket: dgram.Socket, local: UdpEndpoint): StunSocket {
  let closed = false;
  return {
    local,
    send: (data, to) =>
      new Promise<void>((resolve, reject) => {
        if (closed) return reject(new StunError('closed', 'the STUN socket is already closed'));
        socket.send(data, to.port, to.address, (err) =>
          err
            ? reject(new StunError('socket', `could not send to ${to.address}:${to.port}: ${err.message}`))
            : resolve(),
        );
      }),
    onMessage: (listener) => {
      const handler = (msg: Buffer, rinfo: dgram.RemoteInfo): void =>
        listener(msg, { address: rinfo.address, port: rinfo.port });
      socket.on('message', handler);
      return () => socket.off('message', handler);
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        socket.close(() => resolve());
      }),
  };
}

function bind(port = 0): Promise<StunSocket> {
  return new Promise((resolve, reject) => {
    const socket = dgram.createSocket('udp4');
    const onError = (err: Error): void => {
      socket.close();
      reject(new StunError('socket', `could not open UDP port ${port || '(any)'}: ${err.message}`));
    };
    socket.once('error', onError);
    socket.bind(port, () => {
      socket.off('error', onError);
      // A later ICMP error (port unreachable) must not crash the process: a missing answer is data.
      socket.on('error', () => undefined);
      const a = socket.address();
      resolve(wrapSocket(socket, { address: a.address, port: a.port }));
    });
  });
}

async function resolve(host: string): Promise<string> {
  if (isIPv4(host)) return host;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new StunError('resolve-failed', `${host} did not resolve within ${RESOLVE_TIMEOUT_MS / 1000} s`)),
      RESOLVE_TIMEOUT_MS,
    );
  });
  try {
    const found = await Promise.race([lookup(host, { family: 4 }), deadline]);
    return found.address;
  } catch (e) {
    if (e instanceof StunError) throw e;
    throw new StunError(
      'resolve-failed',
      `${host} has no IPv4 address (${(e as Error).message}): check the STUN server name in the settings`,
    );
  } finally {
    clearTimeout(timer);
  }
}

function localAddresses(): string[] {
  return Object.values(networkInterfaces())
    .flat()
    .filter((i) => i?.family === 'IPv4')
    .map((i) => i?.address ?? '');
}

export const realStunNet: StunNet = { bind, resolve, localAddresses };

export function realStunPorts(): StunPorts {
  return {
    net: realStunNet,
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
    },
    randomBytes: (n) => randomBytes(n),
  };
}
