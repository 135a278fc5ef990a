import type { ClientTransport } from '../../../shared/contract/client';
import type { Result } from '../../../shared/contract/result';
import type { ServerFrame } from '../../../shared/contract/wire';

export type SocketState = 'connecting' | 'open' | 'reconnecting';

export interface WsTransportOptions {
  url: string;
  /** Injected for tests. */
  createSocket?: (url: string) => WebSocket;
  /** How long a call waits for the socket to (re)open before failing with `disconnected`. */
  openTimeoutMs?: number;
  maxBackoffMs?: number;
}

export interface WsTransport extends ClientTransport {
  readonly state: SocketState;
  onState(listener: (state: SocketState) => void): () => void;
  close(): void;
}

/**
 * Web mode's transport: one WebSocket, calls matched to answers by id, events fanned out by channel.
 * When the socket drops, calls in flight fail with `disconnected` (never replayed), and it reconnects
 * with capped exponential backoff.
 */
export function createWsTransport(options: WsTransportOptions): WsTransport {
  const create = options.createSocket ?? ((url: string) => new WebSocket(url));
  const openTimeout = options.openTimeoutMs ?? 5000;
  const maxBackoff = options.maxBackoffMs ?? 5000;
  const pending = new Map<number, (result: Result<unknown>) => void>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const stateListeners = new Set<(state: SocketState) => void>();
  const waitingForOpen = new Set<() => void>();
  let state: SocketState = 'connecting';
  let socket: WebSocket;
  let nextId = 1;
  let attempt = 0;
  let closed = false;

  const setState = (next: SocketState) => {
    state = next;
    stateListeners.forEach((l) => l(next));
  };

  function connect(): void {
    socket = create(options.url);
    socket.onopen = () => {
      attempt = 0;
      setState('open');
      waitingForOpen.forEach((resume) => resume());
      waitingForOpen.clear();
    };
    socket.onmessage = (message) => onFrame(JSON.parse(String(message.data)) as ServerFrame);
    socket.onclose = () => {
      for (const resolve of pending.values()) resolve(disconnected());
      pending.clear();
      if (closed) return;
      setState('reconnecting');
      const delay = Math.min(maxBackoff, 250 * 2 ** attempt++) * (0.5 + Math.random() / 2);
      setTimeout(connect, delay);
    };
  }

  function onFrame(frame: ServerFrame): void {
    if (frame.t === 'res') {
      pending.get(frame.id)?.(frame.r);
      pending.delete(frame.id);
    } else {
      listeners.get(frame.ch)?.forEach((l) => l(frame.p));
    }
  }

  function whenOpen(): Promise<boolean> {
    if (state === 'open') return Promise.resolve(true);
    return new Promise((resolve) => {
      const resume = () => {
        clearTimeout(timer);
        resolve(true);
      };
      const timer = setTimeout(() => {
        waitingForOpen.delete(resume);
        resolve(false);
      }, openTimeout);
      waitingForOpen.add(resume);
    });
  }

  connect();
  return {
    get state() {
      return state;
    },
    async invoke(channel, input) {
      if (!(await whenOpen())) return disconnected();
      const id = nextId++;
      return new Promise<Result<unknown>>((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ t: 'call', id, ch: channel, in: input }));
      });
    },
    subscribe(channel, listener) {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set.add(listener));
      return () => set.delete(listener);
    },
    onState(listener) {
      stateListeners.add(listener);
      return () => stateListeners.delete(listener);
    },
    close() {
      closed = true;
      socket.close();
    },
  };
}

function disconnected(): Result<never> {
  return {
    ok: false,
    error: {
      code: 'disconnected',
      message: 'Lost the connection to PortPilot’s backend. Is `npm start` / `npm run serve` still running?',
    },
  };
}
