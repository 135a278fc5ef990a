import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import type { Dispatcher } from '../host/dispatcher';
import type { EventHub } from '../host/event-hub';

/**
 * Electron's binding of the contract: one `ipcMain.handle` per declared method, each accepting a call
 * only from the main frame of our own window (STYLE.md: VS Code accepts messages from its own frame only).
 */
export function bindIpc(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  dispatcher: Dispatcher,
  trustedContents: () => WebContents | null,
): () => void {
  for (const channel of dispatcher.channels) {
    ipcMain.handle(channel, (event: IpcMainInvokeEvent, input: unknown) => {
      if (!isTrustedSender(event, trustedContents())) {
        return {
          ok: false,
          error: { code: 'forbidden', message: 'Call refused: it did not come from PortPilot’s own window.' },
        };
      }
      return dispatcher.call(channel, input, { transport: 'ipc' });
    });
  }
  return () => dispatcher.channels.forEach((channel) => ipcMain.removeHandler(channel));
}

export function isTrustedSender(event: IpcMainInvokeEvent, contents: WebContents | null): boolean {
  return contents !== null && event.sender === contents && event.senderFrame === contents.mainFrame;
}

export function forwardEvents(hub: EventHub, contents: () => WebContents | null): () => void {
  return hub.subscribeWire((channel, payload) => {
    const target = contents();
    if (target && !target.isDestroyed()) target.send(channel, payload);
  });
}
