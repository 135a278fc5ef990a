import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import tls from 'node:tls';
import { ANON_DH_CLIENT_OPTIONS, generateSelfSignedCert, startApiServer } from './server';
import { FakeDevice, WireClient } from './test-support';
import type { SelfSignedCert } from './tls';

let cert: SelfSignedCert;

beforeAll(async () => {
  cert = await generateSelfSignedCert('portpilot-demo-router');
});

describe('API-SSL', () => {
  const device = new FakeDevice();
  const servers: { close(): Promise<void> }[] = [];
  afterAll(async () => {
    for (const s of servers) await s.close();
  });

  it('serves a self-signed certificate whose fingerprint the client can pin', async () => {
    const server = await startApiServer({
      device,
      host: '127.0.0.1',
      port: 0,
      tls: { cert: cert.cert, key: cert.key },
    });
    servers.push(server);
    expect(cert.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    // A self-signed certificate is not CA-trusted: the client pins its SHA-256 fingerprint instead.
    const c = await WireClient.connect(server.port, { rejectUnauthorized: false });
    const socket = c.socket as tls.TLSSocket;
    expect(socket.authorized).toBe(false);
    expect(socket.getPeerCertificate().fingerprint256).toBe(cert.fingerprint256);
    expect(socket.getPeerCertificate().subject.CN).toBe('portpilot-demo-router');
    expect(await c.login()).toEqual([['!done']]);
    expect(await c.call('/interface/print', '=count-only=')).toEqual([['!done', '=ret=4']]);
    c.close();
  });

  it('without a certificate accepts only anonymous DH, like a router without one', async () => {
    const server = await startApiServer({ device, host: '127.0.0.1', port: 0, tls: {} });
    servers.push(server);
    const c = await WireClient.connect(server.port, { ...ANON_DH_CLIENT_OPTIONS });
    expect((c.socket as tls.TLSSocket).getCipher().name).toBe('ADH-AES256-GCM-SHA384');
    expect(await c.login()).toEqual([['!done']]);
    expect(await c.call('/ip/upnp/print', '=.proplist=enabled')).toEqual([['!re', '=enabled=true'], ['!done']]);
    c.close();
    // A client offering only certificate-based suites cannot complete the handshake.
    await expect(
      WireClient.connect(server.port, { rejectUnauthorized: false, maxVersion: 'TLSv1.2' }),
    ).rejects.toThrow();
  });

  it('refuses a certificate without its key', async () => {
    await expect(startApiServer({ device, host: '127.0.0.1', port: 0, tls: { cert: cert.cert } })).rejects.toThrow(
      'both cert and key',
    );
  });
});
