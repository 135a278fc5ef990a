/**
 * The password never appears in any log line, state, error message or test-connection detail: every
 * string the session and the library produce across connect, wrong password, loss, reconnect and
 * test connection is captured (the library's debug log enabled too) and searched for it. Several
 * passwords are tried, including ones that look like words the code prints ("admin", a host name).
 */
import { createRequire } from 'node:module';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { RouterSession } from './session';
import type { RouterTarget } from './target';
import { testConnection } from './test-connection';

interface DebugModule {
  enable(ns: string): void;
  disable(): string;
  log: (...args: unknown[]) => void;
}
const debug = createRequire(import.meta.url)('debug') as DebugModule;

const captured: string[] = [];
const capture = (...parts: unknown[]): void => {
  captured.push(parts.map((p) => (typeof p === 'string' ? p : safeJson(p))).join(' '));
};

function safeJson(v: unknown): string {
  if (v instanceof Error) return `${v.name}: ${v.message} ${safeJson({ ...v })}`;
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
});

beforeAll(() => {
  // The library's own debug output (DEBUG=routeros-api:*), redirected into the capture.
  debug.log = capture;
  debug.enable('routeros-api:*');
});
afterAll(() => {
  debug.disable();
});

async function until(check: () => boolean, ms = 8000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}

async function scenario(password: string): Promise<void> {
  const start = (apiPort = 0): Promise<DemoRouter> =>
    startDemoRouter({ apiPort, password, apiSslPort: null, traffic: false, ssdpPort: null });
  let router = await start();
  cleanups.push(() => router.stop());
  const port = router.endpoints.apiPort;
  const target: RouterTarget = { host: '127.0.0.1', port, transport: 'api', user: 'admin', password };
  const errorText = (e: unknown): string => (e instanceof Error ? `${e.message} ${safeJson(e)}` : String(e));

  // Wrong password (the wrong one is derived from the right one, so it contains it).
  const wrong = new RouterSession({ ...target, password: `${password}x` }, { log: capture });
  wrong.onState((s) => capture(s));
  capture(errorText(await wrong.connect().catch((e: unknown) => e)));

  // Connect, lose the router, reconnect.
  const s = new RouterSession(target, { log: capture, backoff: { baseMs: 20, maxMs: 50 } });
  cleanups.push(() => s.close());
  s.onState((st) => capture(st));
  capture(await s.connect());
  capture(errorText(await s.print('/no-such').catch((e: unknown) => e)));
  await router.stop();
  await until(() => s.state.kind === 'reconnecting');
  capture(errorText(await s.print('/interface').catch((e: unknown) => e)));
  router = await start(port);
  await until(() => s.state.kind === 'connected');

  for (const step of await testConnection(target)) capture(step);
  for (const step of await testConnection({ ...target, password: `${password}x` })) capture(step);
}

describe('the password never leaves the session', () => {
  // [password, distinctive]: a distinctive password must not appear anywhere at all; one equal to a
  // word the app legitimately prints (user, host, identity) must not appear as a password value.
  it.each([
    ['s3cr3t-P@ss', true],
    ['Zq9#long passphrase with spaces', true],
    ['admin', false],
    ['127.0.0.1', false],
    ['HomeRouter', false],
  ] as const)('password %j', async (password, distinctive) => {
    captured.length = 0;
    await scenario(password);
    // The capture really saw the library's debug log and the session's log (else the test proves nothing).
    expect(captured.some((l) => l.includes('Writing command'))).toBe(true);
    expect(captured.some((l) => l.includes('router-session'))).toBe(true);
    expect(captured.some((l) => l.includes('=password=<redacted>'))).toBe(true);
    const leaks = captured.filter((l) => l.includes(`=password=${password}`) || l.includes(`"password":"${password}`));
    expect(leaks).toEqual([]);
    if (distinctive) expect(captured.filter((l) => l.includes(password))).toEqual([]);
  });
});
