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
    const echo = handlers.get('app:echo')!;
    const fromOwnFrame = { sender: contents, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    const fromSubFrame = {
      sender: contents,
      senderFrame: { url: 'https://ads.example' },
    } as unknown as IpcMainInvokeEvent;
    const fromOtherContents = { sender: {}, senderFrame: mainFrame } as unknown as IpcMainInvokeEvent;
    expect(await echo(fromOwnFrame, { text: 'hi' })).toEqual({ ok: true, value: { text: 'hi', length: 2 } });
    expect(await echo(fromSubFrame, { text: 'hi' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await echo(fromOtherContents, { text: 'hi' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await echo(fromOwnFrame, { text: 1 })).toMatchObject({ ok: false, error: { code: 'validation' } });
    unbind();
    expect(handlers.size).toBe(0);
    dispose();
  });
});
