import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { domainList } from '../../shared/domains';
import { startDemoRouter, type DemoRouter } from '../../electron/demo-router';
import { createDispatcher } from '../../electron/host/dispatcher';
import { startWebHost, type WebHost } from '../../electron/web/server';
import { testServices } from '../support/services';

/*
 * The password goes in (saveProfile, connect) and must never come back out: not in any WebSocket frame
 * (results and events, i.e. everything the renderer and its stores can ever hold), not in a log line,
 * not in plain text on disk. Checked for several generated passwords, including ones that look like
 * ordinary words and JSON-escaped characters.
 */
const passwords = [
  'Tr0ub4dor&3-unique',
  ...fc.sample(
    fc
      .string({ minLength: 8, maxLength: 24, unit: 'grapheme-ascii' })
      .filter((s) => s.trim().length >= 8 && !/^\s|\s$/.test(s)),
    { numRuns: 3, seed: 42 },
  ),
];

describe.each(passwords)('password %j never leaks', (password) => {
  let router: DemoRouter;
  let host: WebHost;
  let services: ReturnType<typeof testServices>;
  const logs: string[] = [];

  beforeAll(async () => {
    router = await startDemoRouter({ host: '127.0.0.1', apiSslPort: null, ssdpPort: null, password, traffic: false });
    services = testServices();
    host = await startWebHost({
      dispatcher: createDispatcher(domainList, services.services, (l) => logs.push(l)),
      hub: services.hub,
      rendererDir: services.configDir,
      log: (l) => logs.push(l),
    });
  });
  afterAll(async () => {
    await host.close();
    await services.dispose();
    await router.stop();
  });

  it('is absent from every frame, log line and file after saving, connecting and a wrong password', async () => {
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
        r: { ok: boolean; value?: { id?: string } };
      };
    };
    const profile = {
      name: 'Demo',
      host: '127.0.0.1',
      port: router.endpoints.apiPort,
      transport: 'api',
      user: 'admin',
    };
    const saved = await call('router:saveProfile', { ...profile, password, savePassword: true });
    expect(saved.r.ok).toBe(true);
    const profileId = saved.r.value!.id!;
    await call('router:testConnection', { ...profile, id: profileId, savePassword: true });
    expect((await call('router:connect', { profileId })).r.ok).toBe(true);
    await call('router:overview');
    await call('router:listProfiles');
    await call('router:saveProfile', { ...profile, id: profileId, password: `${password}x`, savePassword: true });
    expect((await call('router:connect', { profileId })).r.ok).toBe(false);
    await call('router:connect', { profileId, password: `wrong-${password}` });
    ws.close();

    const haystacks = [
      ...frames,
      ...logs,
      ...readdirSync(services.configDir)
        .filter((f) => f.endsWith('.json'))
        .map((f) => readFileSync(path.join(services.configDir, f), 'utf8')),
    ];
    expect(frames.length).toBeGreaterThan(8);
    for (const text of haystacks) {
      expect(text.includes(password)).toBe(false);
      expect(text.includes(JSON.stringify(password).slice(1, -1))).toBe(false);
    }
  });
});
