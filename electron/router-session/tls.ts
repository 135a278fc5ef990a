/**
 * API-SSL trust on first use. RouterOS API-SSL (8729) serves the certificate chosen in `/ip service`
 * (usually self-signed), or, without one, anonymous Diffie-Hellman only (routeros-facts.md): Node 20
 * reaches that with `ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0'` and TLS 1.2 at most. Certificates
 * are never checked against a CA (a home router has none); the SHA-256 fingerprint is shown to the user
 * and pinned with the profile, and any later change is refused.
 */
import tls, { type TLSSocket } from 'node:tls';
import { ANONYMOUS_FINGERPRINT } from '../../shared/domains/router';
import { RouterConnectionError } from './errors';

/** Stored as the pin when the user accepted a router that has no certificate (anonymous DH). */
export const ANONYMOUS_PIN = ANONYMOUS_FINGERPRINT;

/** The handshake knobs we vary; assignable to both tls.connect options and node-routeros' `tls`. */
export interface HandshakeOptions {
  rejectUnauthorized: boolean;
  ciphers?: string;
  maxVersion?: 'TLSv1.2';
}

export type TlsPeer = { anonymous: true } | { anonymous: false; fingerprint: string };

/** Normal TLS (1.2/1.3) with a certificate we check ourselves. */
const CERT_OPTIONS: HandshakeOptions = { rejectUnauthorized: false };
/** The documented client options for a certificate-less RouterOS (facts, API-SSL). */
const ANON_OPTIONS: HandshakeOptions = {
  rejectUnauthorized: false,
  ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0',
  maxVersion: 'TLSv1.2',
};

/**
 * Handshake variants to try, in order. Offering ADH and TLS 1.2-max to a certificate router makes it
 * abort the handshake, so the two are separate attempts. The pin decides which comes first; the other
 * is still tried so that a router that lost (or gained) its certificate is reported as a changed
 * identity by the pin check, not as an obscure handshake failure.
 */
export function tlsAttempts(pin: string | null | undefined): HandshakeOptions[] {
  return pin === ANONYMOUS_PIN ? [ANON_OPTIONS, CERT_OPTIONS] : [CERT_OPTIONS, ANON_OPTIONS];
}

export function peerOf(socket: TLSSocket): TlsPeer {
  const cert = socket.getPeerCertificate();
  if (!cert || Object.keys(cert).length === 0 || !cert.fingerprint256) return { anonymous: true };
  return { anonymous: false, fingerprint: cert.fingerprint256 };
}

/** Normalises `ab:cd…`, `ABCD…` and `AB CD…` to Node's `AB:CD:…` form. */
export function normalizeFingerprint(fp: string): string {
  const hex = fp.replace(/[^0-9a-f]/gi, '').toUpperCase();
  return hex.match(/../g)?.join(':') ?? '';
}

/** The pin verdict: undefined = trusted; otherwise the error to refuse the connection with. */
export function checkPin(
  pin: string | null | undefined,
  peer: TlsPeer,
  where: { host: string; port: number },
): RouterConnectionError | undefined {
  const now = peer.anonymous ? { anonymous: true } : { fingerprint: peer.fingerprint };
  if (!pin) return new RouterConnectionError('tls-untrusted', { ...where, ...now });
  if (pin === ANONYMOUS_PIN) {
    return peer.anonymous
      ? undefined
      : new RouterConnectionError('tls-fingerprint-changed', { ...where, ...now, pinnedFingerprint: pin });
  }
  if (!peer.anonymous && normalizeFingerprint(pin) === normalizeFingerprint(peer.fingerprint)) return undefined;
  return new RouterConnectionError('tls-fingerprint-changed', { ...where, ...now, pinnedFingerprint: pin });
}

/**
 * Only a TLS alert from the server (it speaks TLS but refused our offer) is worth a second handshake
 * variant. A peer that closes or never answers is not TLS at all (e.g. the plain API port), and a
 * second ClientHello would just wait for the connect timeout.
 */
export function shouldTryOtherHandshake(err: unknown): boolean {
  // e.g. ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE, ERR_SSL_NO_SHARED_CIPHER; not ERR_SSL_WRONG_VERSION_NUMBER
  // (the peer answered in plain text: not TLS at all).
  const cause = err instanceof RouterConnectionError && err.kind === 'tls-handshake' ? (err.detail.cause ?? '') : '';
  return /^ERR_SSL_.*(ALERT|CIPHER)/.test(cause);
}

export function isTlsHandshakeError(err: { code?: unknown; message?: unknown }): boolean {
  const code = typeof err.code === 'string' ? err.code : '';
  const message = typeof err.message === 'string' ? err.message : '';
  return code.startsWith('ERR_SSL') || code === 'EPROTO' || /ssl|tls|handshake|alert/i.test(message);
}

/**
 * Connects, completes the handshake, reports the peer and closes; sends nothing else. Tries a normal
 * handshake first and the anonymous-DH one if that fails.
 */
export async function probeTlsFingerprint(
  host: string,
  port: number,
  timeoutMs = 5000,
): Promise<{ anonymous: true } | { anonymous: false; fingerprint: string }> {
  let last: unknown;
  for (const opts of tlsAttempts(null)) {
    try {
      return await handshake(host, port, opts, timeoutMs);
    } catch (err) {
      last = err;
      if (!shouldTryOtherHandshake(err)) throw err;
    }
  }
  throw last;
}

function handshake(host: string, port: number, opts: HandshakeOptions, timeoutMs: number): Promise<TlsPeer> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ ...opts, host, port, servername: isIp(host) ? undefined : host }, () => {
      const peer = peerOf(socket);
      socket.destroy();
      resolve(peer);
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RouterConnectionError('timeout', { host, port }));
    });
    socket.on('error', (err: NodeJS.ErrnoException) => reject(classifySocketError(err, host, port)));
  });
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

/** Node socket error → connection error kind. */
export function classifySocketError(
  err: { code?: unknown; message?: unknown },
  host: string,
  port: number,
): RouterConnectionError {
  const code = typeof err.code === 'string' ? err.code : '';
  const cause = code || (typeof err.message === 'string' ? err.message : 'unknown');
  const where = { host, port, cause };
  if (code === 'ECONNREFUSED') return new RouterConnectionError('refused', where);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME')
    return new RouterConnectionError('dns', where);
  if (code === 'ETIMEDOUT') return new RouterConnectionError('timeout', where);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH' || code === 'EHOSTDOWN')
    return new RouterConnectionError('unreachable', where);
  if (isTlsHandshakeError(err)) return new RouterConnectionError('tls-handshake', where);
  return new RouterConnectionError('closed', where);
}
