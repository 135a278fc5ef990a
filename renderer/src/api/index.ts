import { buildClient } from '../../../shared/contract/client';
import { WS_PATH } from '../../../shared/contract/wire';
import { domainList, type PortPilotApi } from '../../../shared/domains';
import { createWsTransport, type ProbeResult, type SocketState } from './ws-transport';

declare global {
  interface Window {
    /** Present in the desktop app: the preload's contract bridge. */
    api?: PortPilotApi;
  }
}

export interface ApiConnection {
  api: PortPilotApi;
  transport: 'ipc' | 'websocket';
  /** Web mode only: the socket's state; Electron IPC is always 'open'. */
  onSocketState(listener: (state: SocketState) => void): () => void;
}

let connection: ApiConnection | null = null;

/** The only place in the renderer that knows how main is reached (STYLE.md §7). */
export function connectApi(): ApiConnection {
  if (connection) return connection;
  if (window.api) {
    connection = { api: window.api, transport: 'ipc', onSocketState: (l) => (l('open'), () => {}) };
    return connection;
  }
  const url = `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}${WS_PATH}`;
  const transport = createWsTransport({ url, probe: probeServer });
  connection = {
    api: buildClient(domainList, transport) as unknown as PortPilotApi,
    transport: 'websocket',
    onSocketState: (listener) => {
      listener(transport.state);
      return transport.onState(listener);
    },
  };
  return connection;
}

/**
 * Does the server that served this page still accept this tab? The web host answers 401 to a request
 * whose token cookie is not its own (electron/web/server.ts): after a restart, the new server has a new
 * token. HEAD of the page: small, and served only with a valid token.
 */
async function probeServer(): Promise<ProbeResult> {
  try {
    const res = await fetch(new URL('/', location.href), { method: 'HEAD', cache: 'no-store' });
    if (res.status === 401) return 'refused';
    return res.ok ? 'ok' : 'down';
  } catch {
    return 'down';
  }
}
