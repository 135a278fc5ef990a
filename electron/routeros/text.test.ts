/**
 * One text rule on both sides of the wire (text.ts): the demo router's codec and the patched
 * node-routeros decode the same bytes to the same text, and both encode as UTF-8. Then a round trip
 * of non-ASCII names and comments between the demo router and the app's RouterSession.
 */
import { createRequire } from 'node:module';
import { afterEach, describe, expect, it } from 'vitest';
import { startDemoRouter, type DemoRouter } from '../demo-router/index';
import { RouterSession } from '../router-session/session';
import { encodeSentence, encodeWord, SentenceDecoder } from './codec';
import { decodeWordText, encodeWordText, TEXT_VECTORS } from './text';

const require = createRequire(import.meta.url);
const receiver = require('node-routeros/dist/connector/Receiver') as {
  decodeWord(buf: Buffer, start: number, end: number, text?: string): string;
};
const { Transmitter } = require('node-routeros/dist/connector/Transmitter') as {
  Transmitter: new (socket: unknown) => { encodeString(s: string): Buffer };
};

describe('decoding: valid UTF-8 first, else windows-1252, per word', () => {
  it.each(TEXT_VECTORS)('%s → %j (text.ts)', (hex, text) => {
    expect(decodeWordText(Buffer.from(hex, 'hex'))).toBe(text);
  });

  it.each(TEXT_VECTORS)('%s → %j (patched node-routeros)', (hex, text) => {
    // Inside a larger buffer, as the Receiver reads it.
    const buf = Buffer.concat([Buffer.from('XX'), Buffer.from(hex, 'hex'), Buffer.from('YY')]);
    expect(receiver.decodeWord(buf, 2, buf.length - 2)).toBe(text);
    // Patch (l): with the chunk's latin1 text, as processRawData passes it.
    expect(receiver.decodeWord(buf, 2, buf.length - 2, buf.toString('latin1'))).toBe(text);
  });

  it.each(TEXT_VECTORS.filter(([hex]) => hex !== ''))('%s → %j (the codec, word by word)', (hex, text) => {
    const sentence = encodeSentence(['!re', Buffer.from(hex, 'hex'), '=ascii=plain']);
    expect(new SentenceDecoder().push(sentence)).toEqual([['!re', text, '=ascii=plain']]);
  });

  it('decides per word: a windows-1252 word does not change how its UTF-8 neighbour reads', () => {
    const words = [Buffer.from('=name=客厅'), Buffer.from('3d636f6d6d656e743d636166e9', 'hex')];
    expect(new SentenceDecoder().push(encodeSentence(words))).toEqual([['=name=客厅', '=comment=café']]);
  });
});

describe('encoding: UTF-8 on both sides', () => {
  it.each(['Wohnzimmer-Überwachung', '客厅', 'café €', 'plain'])('%j', (text) => {
    const transmitter = new Transmitter({});
    expect(transmitter.encodeString(text)).toEqual(encodeWord(text));
    expect(encodeWordText(text)).toEqual(Buffer.from(text, 'utf8'));
    expect(decodeWordText(encodeWordText(text))).toBe(text);
  });
});

describe('round trip between the demo router and RouterSession', () => {
  const cleanups: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const fn of cleanups.splice(0).reverse()) await fn().catch(() => undefined);
  });

  async function connected(): Promise<{ r: DemoRouter; s: RouterSession }> {
    const r = await startDemoRouter({ password: 'pw', apiSslPort: null, traffic: false, ssdpPort: null });
    cleanups.push(() => r.stop());
    const s = new RouterSession({
      host: '127.0.0.1',
      port: r.endpoints.apiPort,
      transport: 'api',
      user: r.user,
      password: 'pw',
    });
    cleanups.push(() => s.close());
    await s.connect();
    return { r, s };
  }

  it('keeps non-ASCII comments and names exactly, in the device and back in the app', async () => {
    const { r, s } = await connected();
    const comments = ['Wohnzimmer-Überwachung', '客厅 camera', 'Kamera 📷 “front”'];
    const ids: string[] = [];
    for (const comment of comments) {
      ids.push(await s.add('/ip/firewall/nat', { chain: 'dstnat', action: 'dst-nat', comment, disabled: true }));
    }
    const stored = r.device.table('/ip/firewall/nat').all();
    expect(comments.every((c) => stored.some((row) => row['comment'] === c))).toBe(true);
    for (const [i, id] of ids.entries()) {
      expect((await s.get('/ip/firewall/nat', id))?.['comment']).toBe(comments[i]);
    }
    // A query with non-ASCII text matches too (the words compare as the same bytes).
    expect(await s.print('/ip/firewall/nat', { query: ['?comment=客厅 camera'] })).toHaveLength(1);

    await s.set('/system/identity', null, { name: 'Büro-客厅' });
    await s.close();
    const again = new RouterSession({
      host: '127.0.0.1',
      port: r.endpoints.apiPort,
      transport: 'api',
      user: r.user,
      password: 'pw',
    });
    cleanups.push(() => again.close());
    expect((await again.connect()).identity).toBe('Büro-客厅');
  });
});
