/**
 * What users run (issue 14): the built web host `out/main/web.js` under plain node — the same
 * services bundle as the desktop main process — driven over its WebSocket contract like the UI, and
 * measured from outside through /proc (RSS, CPU time).
 */
import { readFileSync } from 'node:fs';
import { domainList } from '../../shared/domains';
import { buildClient, type ClientTransport } from '../../shared/contract/client';
import type { Result } from '../../shared/contract/result';
import { WS_PATH, type ServerFrame } from '../../shared/contract/wire';
import { WebSocket } from 'ws';
import { startApp, type StartedApp } from '../e2e/web-host';

/** Resident set size of a process, from /proc/<pid>/status (VmRSS). */
export function rssMb(pid: number): number {
  const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kb) / 1024;
}

/** CPU time (user + system) a process used so far, in ms (/proc/<pid>/stat, clock ticks of 10 ms). */
export function cpuMs(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

type Call = (input?: unknown) => Promise<Result<unknown>>;
export type Api = Record<string, Record<string, (arg?: unknown) => unknown>>;

export interface AppProcess {
  app: StartedApp;
  api: Api;
  /** Subscribes to a contract event (`on(domain, 'onStatus', …)`). */
  on(domain: string, subscribe: string, listener: (payload: unknown) => void): () => void;
  /** Calls a method and returns its value, or throws with the contract error. */
  call<T>(domain: string, method: string, input?: unknown): Promise<T>;
  close(): Promise<void>;
}

function wsTransport(url: string): Promise<{ transport: ClientTransport; socket: WebSocket }> {
  const page = new URL(url);
  const socket = new WebSocket(`ws://${page.host}${WS_PATH}?${page.searchParams}`, { origin: page.origin });
  const pending = new Map<number, (r: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  let nextId = 1;
  socket.on('message', (data) => {
    const frame = JSON.parse(String(data)) as ServerFrame;
    if (frame.t === 'res') pending.get(frame.id)?.(frame.r);
    else listeners.get(frame.ch)?.forEach((l) => l(frame.p));
  });
  const transport: ClientTransport = {
    invoke: (ch, input) =>
      new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ t: 'call', id, ch, in: input }));
      }),
    subscribe(ch, listener) {
      const set = listeners.get(ch) ?? new Set();
      listeners.set(ch, set.add(listener));
      return () => set.delete(listener);
    },
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve({ transport, socket }));
    socket.once('error', reject);
  });
}

/**
 * Starts the built web host with a fresh config dir and connects a contract client to it.
 * PP_NODE_FLAGS adds node flags to the host (e.g. `--cpu-prof --cpu-prof-dir=/tmp/prof` to profile it).
 */
export async function startAppProcess(): Promise<AppProcess> {
  const app = await startApp(process.execPath, [
    ...(process.env['PP_NODE_FLAGS'] ?? '').split(' ').filter(Boolean),
    'out/main/web.js',
  ]);
  const { transport, socket } = await wsTransport(app.url);
  const api = buildClient(domainList, transport) as unknown as Api;
  return {
    app,
    api,
    on: (domain, subscribe, listener) =>
      (api[domain]?.[subscribe] as (l: (p: unknown) => void) => () => void)(listener),
    async call<T>(domain: string, method: string, input?: unknown): Promise<T> {
      const r = await (api[domain]?.[method] as Call)(input);
      if (!r.ok) throw new Error(`${domain}.${method}: ${r.error.code}: ${r.error.message}`);
      return r.value as T;
    },
    async close() {
      socket.close();
      await app.stop();
    },
  };
}

/** Saves the profile the bench connects with (the demo router's API port, admin, password asked). */
export async function saveBenchProfile(app: AppProcess, apiPort: number): Promise<string> {
  const profile = await app.call<{ id: string }>('router', 'saveProfile', {
    name: 'bench',
    host: '127.0.0.1',
    port: apiPort,
    transport: 'api',
    user: 'admin',
    savePassword: false,
  });
  return profile.id;
}
