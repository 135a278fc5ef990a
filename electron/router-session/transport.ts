/**
 * The only module of the app that imports node-routeros (1.6.9 + patches/node-routeros+1.6.9.patch).
 * It turns one library connection into a `Link`: write words → rows, stream words → rows, one `lost`
 * notification, and errors mapped to RouterTrapError / RouterConnectionError.
 */
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RouterOSAPI, type RStream } from 'node-routeros';
import { RouterConnectionError, RouterTrapError } from './errors';
import type { RouterTarget } from './target';
import {
  checkPin,
  classifySocketError,
  peerOf,
  shouldTryOtherHandshake,
  tlsAttempts,
  type HandshakeOptions,
  type TlsPeer,
} from './tls';

export type Row = Record<string, string>;

// patches/node-routeros+1.6.9.patch adds RouterOSAPI.destroy(reason).
declare module 'node-routeros' {
  interface RouterOSAPI {
    destroy(reason?: Error): void;
  }
}

export interface LinkStream {
  stop(): Promise<void>;
}

export interface Link {
  /** The TLS peer of an API-SSL link (undefined for plain API). */
  readonly tls: TlsPeer | undefined;
  write(words: string[]): Promise<Row[]>;
  stream(words: string[], onRow: (row: Row) => void, onEnd: (err: Error) => void): LinkStream;
  /** Called once when the connection is lost (not after close()). */
  onLost(listener: (err: RouterConnectionError) => void): void;
  /** Polite close (`force`: tear down at once, e.g. the router stopped answering). */
  close(opts?: { force?: boolean }): Promise<void>;
}

export type LinkOpener = (target: RouterTarget, opts: { timeoutMs: number; idleTimeoutMs: number }) => Promise<Link>;

interface LibError {
  errno?: unknown;
  code?: unknown;
  message?: unknown;
  category?: unknown;
}

function asLibError(err: unknown): LibError {
  return typeof err === 'object' && err !== null ? (err as LibError) : { message: String(err) };
}

/** Maps a library error of a command to our typed errors. */
export function mapCommandError(err: unknown, target: RouterTarget, command: string): Error {
  const e = asLibError(err);
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.errno === 'TRAP') {
    return new RouterTrapError(typeof e.category === 'number' ? e.category : undefined, message, command);
  }
  if (e.errno === 'UNKNOWNREPLY')
    return new RouterConnectionError('protocol', { host: target.host, port: target.port, cause: message });
  const cause = message !== '' ? message : typeof e.errno === 'string' ? e.errno : 'unknown';
  return new RouterConnectionError('closed', { host: target.host, port: target.port, cause });
}

function mapConnectError(
  err: unknown,
  target: RouterTarget,
  veto: RouterConnectionError | undefined,
): RouterConnectionError {
  if (veto) return veto;
  if (err instanceof RouterConnectionError) return err;
  const e = asLibError(err);
  const where = { host: target.host, port: target.port };
  const message = typeof e.message === 'string' ? e.message : '';
  if (e.errno === 'CANTLOGIN' || /cannot log in|invalid user name or password/i.test(message)) {
    return new RouterConnectionError('login', where);
  }
  if (e.errno === 'SOCKTMOUT') return new RouterConnectionError('timeout', where);
  if (e.errno === 'TRAP') return new RouterConnectionError('login', { ...where, cause: message });
  return classifySocketError(e, target.host, target.port);
}

class NodeRouterosLink implements Link {
  private lostListener: ((err: RouterConnectionError) => void) | undefined;
  private closing = false;
  private lost = false;

  constructor(
    private readonly api: RouterOSAPI,
    private readonly target: RouterTarget,
    readonly tls: TlsPeer | undefined,
  ) {
    const onGone = (reason?: unknown): void => {
      if (this.closing || this.lost) return;
      this.lost = true;
      const e = asLibError(reason);
      const cause =
        typeof e.message === 'string' && e.message !== ''
          ? e.message
          : typeof e.errno === 'string'
            ? e.errno
            : typeof e.code === 'string'
              ? e.code
              : 'connection closed';
      this.lostListener?.(new RouterConnectionError('closed', { host: target.host, port: target.port, cause }));
    };
    // The patched library reports every loss as 'close' (and 'error' only to a listener).
    api.on('error', onGone);
    api.on('close', onGone);
  }

  async write(words: string[]): Promise<Row[]> {
    const [command = '', ...rest] = words;
    try {
      return (await this.api.write(command, rest)) as Row[];
    } catch (err) {
      throw mapCommandError(err, this.target, command);
    }
  }

  stream(words: string[], onRow: (row: Row) => void, onEnd: (err: Error) => void): LinkStream {
    const [command = '', ...rest] = words;
    const s: RStream = this.api.writeStream(command, rest);
    let ended = false;
    const end = (err: Error): void => {
      if (ended) return;
      ended = true;
      onEnd(err);
    };
    s.on('data', (row: Row) => onRow(row));
    s.on('error', () => undefined);
    s.on('trap', (data: unknown) => end(mapCommandError(toTrap(data), this.target, command)));
    return {
      stop: async () => {
        ended = true;
        await s.stop().catch(() => undefined);
      },
    };
  }

  onLost(listener: (err: RouterConnectionError) => void): void {
    this.lostListener = listener;
  }

  async close(opts: { force?: boolean } = {}): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!opts.force && this.api.connected && !this.lost) {
      // Polite close first; a router that never answers it must not hold us (nor our commands).
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise((r) => (timer = setTimeout(r, 1000)));
      await Promise.race([this.api.close().catch(() => undefined), gaveUp]);
      clearTimeout(timer);
    }
    // Whatever is still pending (a hung router) rejects now instead of at the socket idle timeout.
    const reason = Object.assign(new Error('connection closed by PortPilot'), { errno: 'CONNCLOSED' });
    this.api.destroy(reason);
  }
}

/** RStream's 'trap' carries the raw trap fields or (patched) an Error; both become a library error. */
function toTrap(data: unknown): LibError {
  if (data instanceof Error) return data as LibError;
  const d = asLibError(data);
  const category = typeof d.category === 'string' && d.category !== '' ? Number(d.category) : undefined;
  return { errno: 'TRAP', message: d.message, category };
}

async function openOnce(
  target: RouterTarget,
  tlsOpts: HandshakeOptions | undefined,
  opts: { timeoutMs: number; idleTimeoutMs: number },
): Promise<Link> {
  let veto: RouterConnectionError | undefined;
  let peer: TlsPeer | undefined;
  const tlsWithPin = tlsOpts && {
    ...tlsOpts,
    // patch (f): called after the handshake, before login; a returned error aborts the connection.
    onSecureConnect: (socket: TLSSocket): Error | undefined => {
      peer = peerOf(socket);
      veto = checkPin(target.pinnedFingerprint, peer, { host: target.host, port: target.port });
      return veto;
    },
  };
  const api = new RouterOSAPI({
    host: target.host,
    port: target.port,
    user: target.user,
    password: target.password,
    // The library uses one value as connect timeout and socket idle timeout (seconds).
    timeout: Math.max(opts.timeoutMs, opts.idleTimeoutMs) / 1000,
    ...(tlsWithPin ? { tls: tlsWithPin } : {}),
  });
  api.on('error', () => undefined);
  let timer: NodeJS.Timeout | undefined;
  const guard = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new RouterConnectionError('timeout', { host: target.host, port: target.port })),
      opts.timeoutMs,
    );
  });
  try {
    await Promise.race([api.connect(), guard]);
  } catch (err) {
    void api.close().catch(() => undefined);
    const mapped = mapConnectError(err, target, veto);
    // A TLS hello sent to a port that is not TLS (e.g. the plain API on 8728) may get no answer at all;
    // when the port itself accepts connections, the handshake is what failed: say so, with the hint.
    if (tlsOpts && !peer && mapped.kind === 'timeout' && (await acceptsTcp(target.host, target.port, 1500))) {
      throw new RouterConnectionError('tls-handshake', {
        host: target.host,
        port: target.port,
        cause: 'the port accepts connections but never completed a TLS handshake',
      });
    }
    throw mapped;
  } finally {
    clearTimeout(timer);
  }
  return new NodeRouterosLink(api, target, peer);
}

function acceptsTcp(host: string, port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/** Opens a logged-in link; API-SSL tries the handshake variants the pin allows. */
export const openNodeRouterosLink: LinkOpener = async (target, opts) => {
  if (target.transport === 'api') return openOnce(target, undefined, opts);
  let last: unknown;
  for (const tlsOpts of tlsAttempts(target.pinnedFingerprint)) {
    try {
      return await openOnce(target, tlsOpts, opts);
    } catch (err) {
      last = err;
      if (!shouldTryOtherHandshake(err)) throw err;
    }
  }
  throw last;
};
