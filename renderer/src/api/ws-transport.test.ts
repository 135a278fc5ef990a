import { describe, expect, it, vi } from 'vitest';
import { createWsTransport } from './ws-transport';

/** A scripted stand-in for the browser WebSocket. */
class FakeSocket {
  static all: FakeSocket[] = [];
  sent: unknown[] = [];
  onopen: (() => void) | null = null;
  onmessage: ((m: { data: string }) => void) | null = null;
  onclose: (() => void) | null = null;
  constructor(readonly url: string) {
    FakeSocket.all.push(this);
  }
  send(text: string) {
    this.sent.push(JSON.parse(text));
  }
  close() {
    this.onclose?.();
  }
  open() {
    this.onopen?.();
  }
  reply(frame: unknown) {
    this.onmessage?.({ data: JSON.stringify(frame) });
  }
}

const make = () =>
  createWsTransport({
    url: 'ws://x/ws',
    createSocket: (u) => new FakeSocket(u) as unknown as WebSocket,
    openTimeoutMs: 1000,
  });

describe('web-mode WebSocket transport', () => {
  it('waits for the socket to open, matches answers by id, and routes events by channel', async () => {
    FakeSocket.all = [];
    const transport = make();
    const socket = FakeSocket.all[0]!;
    const call = transport.invoke('app:echo', { text: 'a' });
    socket.open();
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    expect(socket.sent[0]).toEqual({ t: 'call', id: 1, ch: 'app:echo', in: { text: 'a' } });
    socket.reply({ t: 'res', id: 1, r: { ok: true, value: 'A' } });
    expect(await call).toEqual({ ok: true, value: 'A' });

    const seen: unknown[] = [];
    const off = transport.subscribe('app:event:tick', (p) => seen.push(p));
    socket.reply({ t: 'evt', ch: 'app:event:tick', p: { seq: 1 } });
    socket.reply({ t: 'evt', ch: 'other:event:x', p: 'no' });
    off();
    socket.reply({ t: 'evt', ch: 'app:event:tick', p: { seq: 2 } });
    expect(seen).toEqual([{ seq: 1 }]);
    transport.close();
  });

  it('fails calls in flight with `disconnected` when the socket drops, then reconnects with backoff', async () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      const transport = make();
      const states: string[] = [];
      transport.onState((s) => states.push(s));
      FakeSocket.all[0]!.open();
      const inFlight = transport.invoke('app:ping', undefined);
      await vi.advanceTimersByTimeAsync(0);
      FakeSocket.all[0]!.close();
      expect(await inFlight).toMatchObject({ ok: false, error: { code: 'disconnected' } });
      expect(states).toEqual(['open', 'reconnecting']);
      await vi.advanceTimersByTimeAsync(300);
      expect(FakeSocket.all).toHaveLength(2);
      FakeSocket.all[1]!.open();
      expect(transport.state).toBe('open');
      transport.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('gives up on a call when the socket does not open in time', async () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      const transport = make();
      const call = transport.invoke('app:ping', undefined);
      await vi.advanceTimersByTimeAsync(1001);
      expect(await call).toMatchObject({ ok: false, error: { code: 'disconnected' } });
      expect(FakeSocket.all[0]!.sent).toEqual([]);
    } finally {
      vi.useRealTimers();
    }
  });
});
