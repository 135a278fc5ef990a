import { contextBridge, ipcRenderer } from 'electron';
import { buildClient } from '../../shared/contract/client';
import type { Result } from '../../shared/contract/result';
import { domainList } from '../../shared/domains';

/*
 * The whole preload: `window.api` with one function per contract method and one `onX` per event.
 * ipcRenderer itself never reaches the page (STYLE.md §2), and nothing here reads process.env.
 */
const api = buildClient(domainList, {
  invoke: (channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>,
  subscribe: (channel, listener) => {
    const handler = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(channel, handler);
    return () => {
      ipcRenderer.removeListener(channel, handler);
    };
  },
});

contextBridge.exposeInMainWorld('api', api);
