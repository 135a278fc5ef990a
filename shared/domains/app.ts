import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';

export interface AppInfo {
  name: string;
  version: string;
  platform: string;
  arch: string;
  /** How the renderer reaches main: Electron IPC in the desktop app, a WebSocket in web mode. */
  transport: 'ipc' | 'websocket';
  electronVersion: string | null;
  nodeVersion: string;
}

export interface TickPayload {
  seq: number;
  at: string;
}

/** The `app` domain: exercises the contract mechanism end to end (version, ping/echo, a tick event). */
export const appDomain = defineDomain({
  name: 'app',
  methods: {
    info: method<z.ZodUndefined, AppInfo>(z.undefined()),
    ping: method<z.ZodUndefined, { pong: true; at: string }>(z.undefined()),
    echo: method<z.ZodObject<{ text: z.ZodString }>, { text: string; length: number }>(
      z.object({ text: z.string().max(10_000, 'text is longer than 10,000 characters') }).strict(),
    ),
  },
  events: {
    tick: event<TickPayload>(),
  },
  errorCodes: [],
});
