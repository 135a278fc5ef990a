import { buildClient } from '../../../shared/contract/client';
import { WS_PATH } from '../../../shared/contract/wire';
import { domainList, type PortPilotApi } from '../../../shared/domains';
import { createWsTransport, type SocketState } from './ws-transport';

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
  const transport = createWsTransport({ url });
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
