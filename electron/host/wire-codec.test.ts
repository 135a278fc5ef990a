import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildClient } from '../../shared/contract/client';
import { defineDomain, event, method, type WireCodec } from '../../shared/contract/define';
import type { Result } from '../../shared/contract/result';
import { createDispatcher } from './dispatcher';
import { EventHub } from './event-hub';

/** A codec that makes the wire form visible: `{ n }` travels as `['n', n]`. */
const boxed: WireCodec<{ n: number }> = {
  encode: (v) => ['n', v.n],
  decode: (w) => {
    if (!Array.isArray(w) || w[0] !== 'n') throw new Error('not boxed');
    return { n: w[1] as number };
  },
};

const box = defineDomain({
  name: 'box',
  methods: {
    get: method<z.ZodUndefined, { n: number }>(z.undefined(), boxed),
    plain: method<z.ZodUndefined, { n: number }>(z.undefined()),
  },
  events: { changed: event<{ n: number }>(boxed), plain: event<{ n: number }>() },
  errorCodes: [],
});

const hop = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe('wire codecs on the contract path', () => {
  const hub = new EventHub();
  const dispatcher = createDispatcher([box], { box: { get: async () => ({ n: 1 }), plain: async () => ({ n: 2 }) } });
  // A transport like the WebSocket's: calls through the dispatcher, events from the hub's wire side, JSON between.
  const client = buildClient([box], {
    invoke: async (ch, input) => hop(await dispatcher.call(ch, input, { transport: 'websocket' })),
    subscribe: (ch, listener) => hub.subscribeWire((c, p) => c === ch && listener(hop(p))),
  }) as unknown as {
    box: {
      get(): Promise<Result<{ n: number }>>;
      plain(): Promise<Result<{ n: number }>>;
      onChanged(l: (p: { n: number }) => void): () => void;
      onPlain(l: (p: { n: number }) => void): () => void;
    };
  };

  it('a method’s output leaves main encoded and reaches the caller decoded', async () => {
    expect(await dispatcher.call('box:get', undefined, { transport: 'ipc' })).toEqual({ ok: true, value: ['n', 1] });
    expect(await client.box.get()).toEqual({ ok: true, value: { n: 1 } });
    expect(await client.box.plain()).toEqual({ ok: true, value: { n: 2 } });
  });

  it('an event reaches main’s own listeners as published and the client decoded, encoded once', () => {
    const inMain: unknown[] = [];
    const wire: unknown[] = [];
    const seen: unknown[] = [];
    hub.subscribe((_ch, p) => inMain.push(p));
    hub.subscribeWire((_ch, p) => wire.push(p));
    client.box.onChanged((p) => seen.push(p));
    client.box.onPlain((p) => seen.push(p));
    const sink = hub.sink(box);
    sink('changed', { n: 3 });
    sink('plain', { n: 4 });
    expect(inMain).toEqual([{ n: 3 }, { n: 4 }]);
    expect(wire).toEqual([['n', 3], { n: 4 }]);
    expect(seen).toEqual([{ n: 3 }, { n: 4 }]);
  });
});
