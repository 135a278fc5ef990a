import type { WebSocket, WebSocketServer } from 'ws';
import { clientFrameSchema, type ServerFrame } from '../../shared/contract/wire';
import type { Dispatcher } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';

/** Sockets whose send buffer is above this skip events until they drain (a slow tab must not grow memory). */
const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;

/**
 * The WebSocket binding of the contract: each frame is checked for shape, then goes through the same
 * dispatcher as Electron IPC. Events from the hub go to every connected (already authorised) socket.
 */
export function bindWebSocket(
  wss: WebSocketServer,
  dispatcher: Dispatcher,
  hub: EventHub,
  log: (line: string) => void,
): () => void {
  wss.on('connection', (ws: WebSocket) => {
    ws.on('message', (data, isBinary) => {
      void handleFrame(ws, isBinary ? null : data.toString());
    });
    ws.on('error', (err) => log(`websocket error: ${err.message}`));
  });

  async function handleFrame(ws: WebSocket, text: string | null): Promise<void> {
    let json: unknown;
    try {
      json = text === null ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const frame = clientFrameSchema.safeParse(json);
    if (!frame.success) {
      ws.close(1008, 'malformed frame');
      return;
    }
    const result = await dispatcher.call(frame.data.ch, frame.data.in, { transport: 'websocket' });
    send(ws, { t: 'res', id: frame.data.id, r: result });
  }

  return hub.subscribeWire((ch, p) => {
    let text: string | null = null;
    for (const ws of wss.clients) {
      if (ws.readyState !== ws.OPEN || ws.bufferedAmount >= MAX_BUFFERED_BYTES) continue;
      // One JSON text per event, however many tabs are open.
      text ??= JSON.stringify({ t: 'evt', ch, p } satisfies ServerFrame);
      ws.send(text);
    }
  });
}

function send(ws: WebSocket, frame: ServerFrame): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
}
