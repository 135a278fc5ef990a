/**
 * TLS for the demo router's API-SSL face.
 *
 * Real RouterOS serves API-SSL (8729) with the certificate set in `/ip service`; without one it offers
 * anonymous Diffie-Hellman suites only, which is why clients such as node-routeros connect with
 * `ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0'` and TLS 1.2 at most (routeros-facts.md, API-SSL).
 * Anonymous suites do not exist in TLS 1.3, so the anonymous server is capped at TLS 1.2, and
 * OpenSSL only enables them at security level 0.
 */
import { X509Certificate } from 'node:crypto';
import type { TlsOptions } from 'node:tls';
import { generate } from 'selfsigned';

/** Anonymous-DH suites a certificate-less router accepts (GCM first, as Node clients ask for it). */
export const ANON_DH_CIPHERS =
  'ADH-AES256-GCM-SHA384:ADH-AES128-GCM-SHA256:ADH-AES256-SHA256:ADH-AES128-SHA256:ADH-AES256-SHA:ADH-AES128-SHA:@SECLEVEL=0';

/** What a client needs to reach an anonymous-DH API-SSL server with Node 20's OpenSSL. */
export const ANON_DH_CLIENT_OPTIONS = {
  ciphers: 'ADH-AES256-GCM-SHA384:@SECLEVEL=0',
  maxVersion: 'TLSv1.2',
  rejectUnauthorized: false,
} as const;

export interface SelfSignedCert {
  cert: string;
  key: string;
  /** SHA-256 fingerprint as Node reports it for a peer (`AB:CD:...`), for pinning. */
  fingerprint256: string;
}

/** A fresh self-signed RSA-2048/SHA-256 certificate, valid ten years; the caller persists it. */
export async function generateSelfSignedCert(commonName: string): Promise<SelfSignedCert> {
  const notBeforeDate = new Date(Date.now() - 60_000);
  const notAfterDate = new Date(notBeforeDate.getTime() + 10 * 365 * 24 * 3600 * 1000);
  const pems = await generate([{ name: 'commonName', value: commonName }], {
    keySize: 2048,
    algorithm: 'sha256',
    notBeforeDate,
    notAfterDate,
  });
  return {
    cert: pems.cert,
    key: pems.private,
    fingerprint256: certificateFingerprint256(pems.cert),
  };
}

export function certificateFingerprint256(certPem: string): string {
  return new X509Certificate(certPem).fingerprint256;
}

/**
 * Server options: a normal TLS server with a certificate, or anonymous DH only without one.
 * `dhparam: 'auto'` lets OpenSSL pick a well-known group sized to the security level
 * (RFC 7919 / RFC 3526 groups), so no DH prime has to be shipped.
 */
export function serverTlsOptions(tls: { cert?: string; key?: string }): TlsOptions {
  if (tls.cert && tls.key) return { cert: tls.cert, key: tls.key };
  if (tls.cert || tls.key) throw new Error('API-SSL needs both cert and key, or neither (anonymous DH)');
  return { ciphers: ANON_DH_CIPHERS, dhparam: 'auto', maxVersion: 'TLSv1.2' };
}
