import { z } from 'zod';
import { defineDomain, event, method } from '../contract/define';
import type { OpenRequest } from './open-request';

export { noticeOpenRequest, openHash, openRoute, type OpenRequest, type OpenRoute } from './open-request';

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

/**
 * Background watch (issue 16). The desktop app keeps watching in the tray when its window is closed
 * and can start at login; web mode has no tray (`mode: 'none'`): it alerts in the open tab only.
 */
export interface BackgroundInfo {
  mode: 'tray' | 'none';
  /** Closing the window keeps PortPilot watching in the tray (else closing it quits, except on macOS). */
  closeToTray: boolean;
  startAtLogin: {
    supported: boolean;
    enabled: boolean;
    /** How: the OS login item (Windows, macOS) or an XDG autostart entry (Linux). */
    via: 'login-item' | 'xdg-autostart' | null;
    /** For people: where it is registered, or why it cannot be. */
    detail: string;
  };
}

const backgroundPatchSchema = z.object({ closeToTray: z.boolean(), startAtLogin: z.boolean() }).partial().strict();

/** The `app` domain: info, ping, background watch settings and "open this screen". */
export const appDomain = defineDomain({
  name: 'app',
  methods: {
    info: method<z.ZodUndefined, AppInfo>(z.undefined()),
    ping: method<z.ZodUndefined, { pong: true; at: string }>(z.undefined()),
    background: method<z.ZodUndefined, BackgroundInfo>(z.undefined()),
    setBackground: method<typeof backgroundPatchSchema, BackgroundInfo>(backgroundPatchSchema),
  },
  events: {
    /** Main asks the window to show something: a notification or the tray menu was clicked. */
    open: event<OpenRequest>(),
  },
  errorCodes: ['unsupported', 'failed'],
});
