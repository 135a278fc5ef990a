import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { createDispatcher } from '../host/dispatcher';
import { domainList } from '../../shared/domains';
import { testServices } from '../../tests/support/services';
import { bindIpc } from './ipc';

describe('IPC binding', () => {
  it('accepts a call only from the trusted window main frame', async () => {
    const { services, dispose } = testServices();
    const handlers = new Map<string, (event: IpcMainInvokeEvent, input: unknown) => unknown>();
    const mainFrame = { url: 'file:///app/index.html' };
    const contents = { mainFrame } as unknown as WebContents;
    const unbind = bindIpc(
      { handle: (ch: string, fn: never) => handlers.set(ch, fn), removeHandler: (ch: string) => handlers.delete(ch) },
      createDispatcher(domainList, services),
      () => contents,
    );
    const ping = handlers.get('app:ping')!;
    const setBackground = handlers.get('app:setBackground')!;
    const fromOwnFrame = { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    const fromSubFrame = {
      sender: contents,
      senderFrame: { url: 'https://ads.example' },
    } as unknown as IpcMainInvokeEvent;
    const fromOtherContents = { sender: {}, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    expect(await ping(fromOwnFrame, undefined)).toMatchObject({ ok: true, value: { pong: true } });
    expect(await ping(fromSubFrame, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await ping(fromOtherContents, undefined)).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await setBackground(fromOwnFrame, { closeToTray: 1 })).toMatchObject({
      ok: false,
      error: { code: 'validation' },
    });
    unbind();
    expect(handlers.size).toBe(0);
    dispose();
  });
});
