import { z } from 'zod';
import type { Result } from './result';

/**
 * Web mode's WebSocket frames (JSON). The browser sends calls; the host answers each by id and pushes
 * events. The same channel names as Electron IPC (derived from the contract).
 */
export const clientFrameSchema = z.object({
  t: z.literal('call'),
  id: z.number().int().nonnegative(),
  ch: z.string().max(200),
  in: z.unknown().optional(),
});
export type ClientFrame = z.infer<typeof clientFrameSchema>;

export type ServerFrame = { t: 'res'; id: number; r: Result<unknown> } | { t: 'evt'; ch: string; p: unknown };

/** Path of the WebSocket endpoint on the web-mode host. */
export const WS_PATH = '/ws';
/** Cookie that carries the web-mode token after the first request with `?token=`. */
export const TOKEN_COOKIE = 'portpilot_token';
