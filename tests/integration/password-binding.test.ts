import { createServer, type Server } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { domainList } from '../../shared/domains';
import { startDemoRouter, type DemoRouter } from '../../electron/demo-router';
import { createDispatcher } from '../../electron/host/dispatcher';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { testServices } from '../support/services';

/*
 * Issue 18: a saved password is bound to the host, port, transport, user and pinned certificate it was
 * saved for. Over the WebSocket (what any renderer script or token holder can do), a call that points
 * a saved profile elsewhere must not send the stored password there: a capture server on another port
 * records every byte it receives.
 */
const password = 'bound-to-one-router-7f3a';

describe('a saved password only goes to its own router', () => {
  let router: DemoRouter;
  let host: WebHost;
  let services: ReturnType<typeof testServices>;
  let capture: Server;
  let capturePort = 0;
  const captured: Buffer[] = [];

  beforeAll(async () => {
    router = await startDemoRouter({ host: '127.0.0.1', apiSslPort: null, ssdpPort: null, password, traffic: false });
    capture = createServer((socket) => socket.on('data', (d) => captured.push(d)));
    await new Promise<void>((r) => capture.listen(0, '127.0.0.1', r));
    capturePort = (capture.address() as { port: number }).port;
    services = testServices();
    host = await startWebHost({
      dispatcher: createDispatcher(domainList, services.services, () => {}),
      hub: services.hub,
      rendererDir: services.configDir,
      log: () => {},
    });
  });
  afterAll(async () => {
    await host.close();
    await services.dispose();
    await router.stop();
    capture.close();
  });

  async function client() {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`, {
      origin: `http://127.0.0.1:${host.port}`,
    });
    const frames: string[] = [];
    ws.on('message', (data) => frames.push(data.toString()));
    await new Promise((resolve) => ws.on('open', resolve));
    let id = 0;
    const call = async (ch: string, input?: unknown) => {
      const myId = ++id;
      ws.send(JSON.stringify({ t: 'call', id: myId, ch, in: input }));
      await expect.poll(() => frames.some((f) => f.includes(`"id":${myId},`)), { timeout: 15_000 }).toBe(true);
      return JSON.parse(frames.find((f) => f.includes(`"id":${myId},`))!) as {
        r: {
          ok: boolean;
          value?: { id?: string; hasSavedPassword?: boolean };
          error?: { code: string; message: string };
        };
      };
    };
    return { call, close: () => ws.close() };
  }

  it('Test connection with the saved profile id and another host asks for the password and sends nothing', async () => {
    const { call, close } = await client();
    const profile = {
      name: 'Home',
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
    };
    const saved = await call('router:saveProfile', { ...profile, password, savePassword: true });
    const id = saved.r.value!.id!;
    // The saved password works for its own router…
    const own = await call('router:testConnection', { ...profile, id, savePassword: true });
    expect(own.r.ok).toBe(true);
    // …and is not sent anywhere else: not to another port, not as another user.
    for (const elsewhere of [{ port: capturePort }, { user: 'other' }, { transport: 'api-ssl' }]) {
      const r = await call('router:testConnection', { ...profile, ...elsewhere, id, savePassword: true });
      expect(r.r).toMatchObject({ ok: false, error: { code: 'needs-password' } });
      expect(r.r.error?.message).toMatch(/only sent to the router/);
    }
    await new Promise((r) => setTimeout(r, 100));
    expect(Buffer.concat(captured).includes(password)).toBe(false);
    expect(captured).toHaveLength(0);
    close();
  });

  it('moving a saved profile to another host forgets its password; connect then asks for it', async () => {
    const { call, close } = await client();
    const profile = {
      name: 'Moved',
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
    };
    const saved = await call('router:saveProfile', { ...profile, password, savePassword: true });
    const id = saved.r.value!.id!;
    expect(saved.r.value?.hasSavedPassword).toBe(true);
    const moved = await call('router:saveProfile', { ...profile, id, port: capturePort, savePassword: true });
    expect(moved.r.value?.hasSavedPassword).toBe(false);
    const connect = await call('router:connect', { profileId: id });
    expect(connect.r).toMatchObject({ ok: false, error: { code: 'needs-password' } });
    expect(Buffer.concat(captured).includes(password)).toBe(false);
    close();
  });
});
