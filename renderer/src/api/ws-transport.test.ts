import { describe, expect, it, vi } from 'vitest';
import { createWsTransport, type ProbeResult } from './ws-transport';

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

const make = (probe?: () => Promise<ProbeResult>) =>
  createWsTransport({
    url: 'ws://x/ws',
    createSocket: (u) => new FakeSocket(u) as unknown as WebSocket,
    openTimeoutMs: 1000,
    maxBackoffMs: 1000,
    lostAfter: 2,
    probe,
  });

describe('web-mode WebSocket transport', () => {
  it('waits for the socket to open, matches answers by id, and routes events by channel', async () => {
    FakeSocket.all = [];
    const transport = make();
    const socket = FakeSocket.all[0]!;
    const call = transport.invoke('router:connect', { profileId: 'a' });
    socket.open();
    await vi.waitFor(() => expect(socket.sent).toHaveLength(1));
    expect(socket.sent[0]).toEqual({ t: 'call', id: 1, ch: 'router:connect', in: { profileId: 'a' } });
    socket.reply({ t: 'res', id: 1, r: { ok: true, value: 'A' } });
    expect(await call).toEqual({ ok: true, value: 'A' });

    const seen: unknown[] = [];
    const off = transport.subscribe('router:event:state', (p) => seen.push(p));
    socket.reply({ t: 'evt', ch: 'router:event:state', p: { seq: 1 } });
    socket.reply({ t: 'evt', ch: 'other:event:x', p: 'no' });
    off();
    socket.reply({ t: 'evt', ch: 'router:event:state', p: { seq: 2 } });
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

  it('a server that answers but refuses this tab’s token (restarted with a new one) is `refused`, not reconnecting forever', async () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      let server: ProbeResult = 'down';
      const transport = make(async () => server);
      const states: string[] = [];
      transport.onState((s) => states.push(s));
      FakeSocket.all[0]!.open();
      FakeSocket.all[0]!.close();
      await vi.advanceTimersByTimeAsync(0);
      expect(transport.state).toBe('reconnecting');
      server = 'refused';
      await vi.advanceTimersByTimeAsync(1000);
      FakeSocket.all[1]!.close();
      await vi.advanceTimersByTimeAsync(0);
      expect(transport.state).toBe('refused');
      // Still trying: the same token back at this address (or the user's new tab set it) reconnects.
      await vi.advanceTimersByTimeAsync(1000);
      expect(FakeSocket.all).toHaveLength(3);
      FakeSocket.all[2]!.open();
      expect(states).toEqual(['open', 'reconnecting', 'refused', 'open']);
      transport.close();
    } finally {
      vi.useRealTimers();
    }
  });

  it('nothing answering after a few tries is `lost`; a server back with the same token reconnects', async () => {
    vi.useFakeTimers();
    try {
      FakeSocket.all = [];
      const transport = make(async () => 'down');
      FakeSocket.all[0]!.open();
      for (let i = 0; i < 3; i++) {
        FakeSocket.all.at(-1)!.close();
        await vi.advanceTimersByTimeAsync(0);
        if (i < 2) expect(transport.state, `after ${i + 1} failure(s)`).toBe('reconnecting');
        await vi.advanceTimersByTimeAsync(1000);
      }
      expect(transport.state).toBe('lost');
      FakeSocket.all.at(-1)!.open();
      expect(transport.state).toBe('open');
      transport.close();
    } finally {
      vi.useRealTimers();
    }
  });
});
