import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent, WebContents } from 'electron';
import { createDispatcher } from '../host/dispatcher';
import { domainList } from '../../shared/domains';
import { testServices } from '../../tests/support/services';
import { bindIpc, forwardEvents } from './ipc';
import { EventHub } from '../host/event-hub';
import { buildClient } from '../../shared/contract/client';
import { eventChannel } from '../../shared/contract/define';
import { mappingsDomain, type MappingsDelta } from '../../shared/domains/mappings';
import { mappingView } from '../../shared/testing/mapping-view';

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

describe('IPC events', () => {
  it('sends a mappings delta in its wire form; the preload-side client gives the page the delta itself', () => {
    const hub = new EventHub();
    const sent: Array<{ channel: string; payload: unknown }> = [];
    const listeners = new Map<string, (payload: unknown) => void>();
    // webContents.send → ipcRenderer.on, through a structured clone (JSON is no more than it keeps here).
    const contents = {
      isDestroyed: () => false,
      send: (channel: string, payload: unknown) => {
        sent.push({ channel, payload });
        listeners.get(channel)?.(structuredClone(payload));
      },
    } as unknown as WebContents;
    const stop = forwardEvents(hub, () => contents);
    // As electron/preload builds window.api.
    const api = buildClient(domainList, {
      invoke: () => Promise.reject(new Error('not used')),
      subscribe: (channel, listener) => (listeners.set(channel, listener), () => listeners.delete(channel)),
    }) as unknown as { mappings: { onDelta(l: (d: MappingsDelta) => void): () => void } };
    const got: MappingsDelta[] = [];
    api.mappings.onDelta((d) => got.push(d));
    const delta: MappingsDelta = {
      seq: 1,
      reset: true,
      added: [mappingView(1), mappingView(2)],
      updated: [],
      removed: [],
    };
    hub.sink(mappingsDomain)('delta', delta);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.channel).toBe(eventChannel('mappings', 'delta'));
    expect(Array.isArray((sent[0]!.payload as { added: unknown[] }).added[0])).toBe(true);
    expect(got).toEqual([delta]);
    stop();
  });
});
