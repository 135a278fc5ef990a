/**
 * The only module of the app that imports node-routeros (1.6.9 + patches/node-routeros+1.6.9.patch)
 * for connecting: it opens one library connection, logs in within the connect timeout (TLS pin checked
 * before login), and hands it over as a `Link` (node-routeros-link.ts).
 */
import net from 'node:net';
import type { TLSSocket } from 'node:tls';
import { RouterOSAPI } from 'node-routeros';
import { RouterConnectionError } from './errors';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_WIRE_LIMITS, type LinkOpener, type LinkOptions } from './link';
import { asLibError, NodeRouterosLink } from './node-routeros-link';
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

export type { Link, LinkOpener, LinkOptions, LinkStream, Row, WireLimits } from './link';
export { mapCommandError } from './node-routeros-link';

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
  if (e.errno === 'PROTOCOL') return new RouterConnectionError('protocol', { ...where, cause: message });
  if (e.errno === 'TRAP') return new RouterConnectionError('login', { ...where, cause: message });
  return classifySocketError(e, target.host, target.port);
}

/** Settles when the connect deadline passes or the caller aborts: the reason to give up with. */
function giveUp(target: RouterTarget, opts: LinkOptions): { reason: Promise<RouterConnectionError>; dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const reason = new Promise<RouterConnectionError>((resolve) => {
    const where = { host: target.host, port: target.port };
    timer = setTimeout(() => resolve(new RouterConnectionError('timeout', where)), opts.timeoutMs);
    onAbort = () => resolve(new RouterConnectionError('closed', { ...where, cause: 'connect cancelled' }));
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
  });
  return {
    reason,
    dispose() {
      clearTimeout(timer);
      if (onAbort) opts.signal?.removeEventListener('abort', onAbort);
    },
  };
}

async function openOnce(target: RouterTarget, tlsOpts: HandshakeOptions | undefined, opts: LinkOptions) {
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
    // patch (i): limits on what the router may send.
    limits: { ...DEFAULT_WIRE_LIMITS, ...opts.limits },
  });
  api.on('error', () => undefined);
  const deadline = giveUp(target, opts);
  try {
    await Promise.race([
      api.connect(),
      deadline.reason.then((e) => {
        throw e;
      }),
    ]);
  } catch (err) {
    // destroy, not close: close() of a connection still logging in leaves its socket (and the
    // library's idle timer) alive, which kept a failed CLI run from exiting.
    api.destroy(err instanceof Error ? err : undefined);
    const mapped = mapConnectError(err, target, veto);
    // A TLS hello sent to a port that is not TLS (e.g. the plain API on 8728) may get no answer at all;
    // when the port itself accepts connections, the handshake is what failed: say so, with the hint.
    if (
      tlsOpts &&
      !peer &&
      mapped.kind === 'timeout' &&
      !opts.signal?.aborted &&
      (await acceptsTcp(target.host, target.port, 1500))
    ) {
      throw new RouterConnectionError('tls-handshake', {
        host: target.host,
        port: target.port,
        cause: 'the port accepts connections but never completed a TLS handshake',
      });
    }
    throw mapped;
  } finally {
    deadline.dispose();
  }
  return new NodeRouterosLink(api, target, peer, opts.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS);
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
      if (opts.signal?.aborted || !shouldTryOtherHandshake(err)) throw err;
    }
  }
  throw last;
};
