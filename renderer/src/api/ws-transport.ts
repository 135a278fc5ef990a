import type { ClientTransport } from '../../../shared/contract/client';
import type { Result } from '../../../shared/contract/result';
import type { ServerFrame } from '../../../shared/contract/wire';

/**
 * `reconnecting`: the socket dropped, trying again; `lost`: nothing has answered at this address for a
 * while (the server stopped, or restarted on another port); `refused`: a server answers here but not to
 * this tab's access token (it restarted with a new one). The transport keeps trying in every state, so
 * a server that comes back here with the same token is picked up again.
 */
export type SocketState = 'connecting' | 'open' | 'reconnecting' | 'lost' | 'refused';

/** What answers at the page's address: the server and our token (`ok`), the server only, or nothing. */
export type ProbeResult = 'ok' | 'refused' | 'down';

export interface WsTransportOptions {
  url: string;
  /** Injected for tests. */
  createSocket?: (url: string) => WebSocket;
  /**
   * Asks the page's HTTP server whether it still accepts this tab (a browser hides why a WebSocket
   * upgrade failed, so a 401 there cannot be told from a dead server without it). Absent: never asked.
   */
  probe?: () => Promise<ProbeResult>;
  /** How long a call waits for the socket to (re)open before failing with `disconnected`. */
  openTimeoutMs?: number;
  maxBackoffMs?: number;
  /** Failed reconnects in a row before `reconnecting` becomes `lost`. */
  lostAfter?: number;
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
  const lostAfter = options.lostAfter ?? 4;
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
    if (next === state) return;
    state = next;
    stateListeners.forEach((l) => l(next));
  };

  /** After a drop or a failed reconnect: say what is known, then try again after a backoff. */
  async function retry(): Promise<void> {
    const failures = attempt++;
    const seen = options.probe ? await options.probe().catch((): ProbeResult => 'down') : 'down';
    if (closed) return;
    if (seen === 'refused') setState('refused');
    else if (seen === 'ok' || failures < lostAfter)
      setState(state === 'lost' || state === 'refused' ? state : 'reconnecting');
    else setState('lost');
    const delay = Math.min(maxBackoff, 250 * 2 ** failures) * (0.5 + Math.random() / 2);
    setTimeout(connect, delay);
  }

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
      // Said at once: calls fail from now on, whatever the probe finds out.
      if (state === 'open' || state === 'connecting') setState('reconnecting');
      void retry();
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
