import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { CodecError, SentenceDecoder, encodeLength, encodeSentence, encodeWord } from './codec';
import { parseSentence, attributeWords } from './sentence';

const hex = (b: Buffer): string => b.toString('hex');

/** Decodes `bytes` fed in the given chunk sizes, collecting every sentence. */
function decodeChunks(bytes: Buffer, cuts: number[], maxWordBytes?: number): string[][] {
  const dec = new SentenceDecoder({ maxWordBytes });
  const out: string[][] = [];
  let prev = 0;
  for (const cut of [...cuts, bytes.length]) {
    out.push(...dec.push(bytes.subarray(prev, cut)));
    prev = cut;
  }
  expect(dec.bufferedBytes).toBe(0);
  return out;
}

describe('encodeLength', () => {
  it('matches the manual test vectors for all five forms', () => {
    expect(hex(encodeLength(1))).toBe('01');
    expect(hex(encodeLength(0x87))).toBe('8087');
    expect(hex(encodeLength(0x4321))).toBe('c04321');
    expect(hex(encodeLength(0x2acdef))).toBe('e02acdef');
    expect(hex(encodeLength(0x10000080))).toBe('f010000080');
  });

  it('switches form exactly at each boundary', () => {
    expect(hex(encodeLength(0))).toBe('00');
    expect(hex(encodeLength(0x7f))).toBe('7f');
    expect(hex(encodeLength(0x80))).toBe('8080');
    expect(hex(encodeLength(0x3fff))).toBe('bfff');
    expect(hex(encodeLength(0x4000))).toBe('c04000');
    expect(hex(encodeLength(0x1fffff))).toBe('dfffff');
    expect(hex(encodeLength(0x200000))).toBe('e0200000');
    expect(hex(encodeLength(0xfffffff))).toBe('efffffff');
    expect(hex(encodeLength(0x10000000))).toBe('f010000000');
    expect(hex(encodeLength(0xffffffff))).toBe('f0ffffffff');
  });

  it('rejects lengths it cannot encode', () => {
    for (const bad of [-1, 1.5, 0x100000000, Number.NaN]) {
      expect(() => encodeLength(bad)).toThrow(CodecError);
    }
  });
});

describe('SentenceDecoder', () => {
  it('decodes every length form back (prefix only, via the 4- and 5-byte headers)', () => {
    // Words of 0x200000+ bytes are too big for a property test; check the decoder reads the 4- and
    // 5-byte prefixes by asking for the length and observing the word-too-large error text.
    for (const n of [0x200000, 0xfffffff, 0x10000000, 0x10000080, 0xffffffff]) {
      const dec = new SentenceDecoder({ maxWordBytes: 16 });
      expect(() => dec.push(encodeLength(n))).toThrow(`word of ${n} bytes`);
    }
  });

  it('round-trips words at the 1/2/3/4-byte boundaries', () => {
    for (const n of [1, 0x7f, 0x80, 0x3fff, 0x4000, 0x1fffff, 0x200000]) {
      const word = 'x'.repeat(n);
      const bytes = encodeSentence(['/cmd', word, '=a=b']);
      expect(bytes.length).toBe(5 + 5 + encodeLength(n).length + n + 1);
      expect(new SentenceDecoder({ maxWordBytes: 0x200000 }).push(bytes)).toEqual([['/cmd', word, '=a=b']]);
    }
  });

  it('refuses to encode an empty word, which would split the sentence', () => {
    let err: unknown;
    try {
      encodeSentence(['/ip/address/add', '', '=address=1.2.3.4/24']);
    } catch (e) {
      err = e;
    }
    expect((err as CodecError).code).toBe('empty-word');
    expect(encodeSentence([]).toString('hex')).toBe('00');
  });

  it('ignores empty sentences', () => {
    const bytes = Buffer.concat([Buffer.from([0, 0]), encodeSentence(['/a']), Buffer.from([0])]);
    expect(new SentenceDecoder().push(bytes)).toEqual([['/a']]);
  });

  it('keeps a truncated frame pending without error until the rest arrives', () => {
    const bytes = encodeSentence(['/login', '=name=admin', 'y'.repeat(300)]);
    const dec = new SentenceDecoder();
    for (let cut = 0; cut < bytes.length; cut++) {
      const d = new SentenceDecoder();
      expect(d.push(bytes.subarray(0, cut))).toEqual([]);
    }
    expect(dec.push(bytes.subarray(0, bytes.length - 1))).toEqual([]);
    expect(dec.push(bytes.subarray(bytes.length - 1))).toEqual([['/login', '=name=admin', 'y'.repeat(300)]]);
  });

  it('rejects every reserved first byte 0xF8..0xFF with code reserved-prefix, even mid-stream', () => {
    for (let b = 0xf8; b <= 0xff; b++) {
      const dec = new SentenceDecoder();
      expect(dec.push(encodeSentence(['/ok']))).toEqual([['/ok']]);
      dec.push(encodeWord('/next'));
      let err: unknown;
      try {
        dec.push(Buffer.from([b, 1, 2, 3]));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(CodecError);
      expect((err as CodecError).code).toBe('reserved-prefix');
      // The stream is out of sync: the decoder stays failed.
      expect(() => dec.push(Buffer.from([0]))).toThrow(CodecError);
    }
  });

  it('rejects an oversized word as soon as its prefix is complete', () => {
    const dec = new SentenceDecoder({ maxWordBytes: 100 });
    expect(dec.push(Buffer.from([0x80]))).toEqual([]);
    let err: unknown;
    try {
      dec.push(Buffer.from([101]));
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).code).toBe('word-too-large');
    // Exactly at the limit is fine.
    const ok = new SentenceDecoder({ maxWordBytes: 100 });
    expect(ok.push(encodeSentence(['z'.repeat(100)]))).toEqual([['z'.repeat(100)]]);
  });

  it('bounds the sentence in progress by words and bytes', () => {
    const byWords = new SentenceDecoder({ maxSentenceWords: 3 });
    expect(byWords.push(encodeSentence(['/a', 'b', 'c']))).toEqual([['/a', 'b', 'c']]);
    expect(() => byWords.push(Buffer.concat(['/a', 'b', 'c', 'd'].map((w) => encodeWord(w))))).toThrow(
      'sentence exceeds',
    );
    const byBytes = new SentenceDecoder({ maxSentenceBytes: 10 });
    expect(byBytes.push(encodeSentence(['12345', '67890']))).toEqual([['12345', '67890']]);
    let err: unknown;
    try {
      byBytes.push(Buffer.concat([encodeWord('12345'), encodeWord('678901')]));
    } catch (e) {
      err = e;
    }
    expect((err as CodecError).code).toBe('sentence-too-large');
  });

  it('feed delivers each sentence before reading the next, so limits can change mid-chunk', () => {
    const dec = new SentenceDecoder({ maxWordBytes: 10 });
    const bytes = Buffer.concat([encodeSentence(['/login']), encodeSentence(['/x', 'y'.repeat(50)])]);
    const seen: string[][] = [];
    dec.feed(bytes, (words) => {
      seen.push(words);
      dec.setLimits({ maxWordBytes: 100 });
    });
    expect(seen).toEqual([['/login'], ['/x', 'y'.repeat(50)]]);
    // Without raising the limit, the first sentence still arrives before the error.
    const strict = new SentenceDecoder({ maxWordBytes: 10 });
    const got: string[][] = [];
    expect(() => strict.feed(bytes, (w) => got.push(w))).toThrow(CodecError);
    expect(got).toEqual([['/login']]);
  });

  it('decodes UTF-8 words', () => {
    const words = ['/system/identity/set', '=name=Zürich-路由器-😀'];
    expect(new SentenceDecoder().push(encodeSentence(words))).toEqual([words]);
  });
});

// Non-empty words (an empty word terminates a sentence), sometimes long enough to cross 0x7F and
// 0x3FFF; attribute words with empty values or values containing '='.
const wordArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 20, unit: 'grapheme' }),
  fc.string({ minLength: 0, maxLength: 10 }).map((v) => `=name=${v}`),
  fc.tuple(fc.string({ maxLength: 5 }), fc.string({ maxLength: 5 })).map(([a, b]) => `=k=${a}=${b}`),
  fc.integer({ min: 0x70, max: 0x90 }).map((n) => 'a'.repeat(n)),
  fc.integer({ min: 0x3ff0, max: 0x4010 }).map((n) => 'b'.repeat(n)),
);
const sentenceArb = fc.array(wordArb, { minLength: 1, maxLength: 6 });
const messageArb = fc.array(sentenceArb, { minLength: 1, maxLength: 4 });

describe('codec properties', () => {
  it('encode → decode returns the same sentences', () => {
    fc.assert(
      fc.property(messageArb, (sentences) => {
        const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
        expect(new SentenceDecoder().push(bytes)).toEqual(sentences);
      }),
    );
  });

  it('decodes the same with the stream split at every single byte offset', () => {
    const sentences = [
      ['/ip/firewall/nat/print', '?dynamic=true', '=.proplist=.id,comment', '.tag=7'],
      ['/login', '=name=admin', '=password='],
      ['/x', 'c'.repeat(0x85), 'd'.repeat(0x4005)],
    ];
    const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
    for (let cut = 0; cut <= bytes.length; cut++) {
      expect(decodeChunks(bytes, [cut])).toEqual(sentences);
    }
  });

  it('decodes the same with random multi-chunk splits (including one byte at a time)', () => {
    fc.assert(
      fc.property(messageArb, fc.array(fc.nat(), { maxLength: 30 }), fc.boolean(), (sentences, rawCuts, byteByByte) => {
        const bytes = Buffer.concat(sentences.map((s) => encodeSentence(s)));
        const cuts = byteByByte
          ? Array.from({ length: Math.min(bytes.length, 400) }, (_, i) => i + 1)
          : [...new Set(rawCuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
        expect(decodeChunks(bytes, cuts)).toEqual(sentences);
      }),
      { numRuns: 60 },
    );
  });

  it('rejects a reserved prefix wherever a word length is expected', () => {
    fc.assert(
      fc.property(sentenceArb, fc.integer({ min: 0xf8, max: 0xff }), (words, bad) => {
        const bytes = Buffer.concat([encodeSentence(words).subarray(0, -1), Buffer.from([bad])]);
        const dec = new SentenceDecoder();
        expect(() => dec.push(bytes)).toThrow(CodecError);
      }),
    );
  });
});

describe('parseSentence', () => {
  it('separates command, attributes, API attributes, queries and other words', () => {
    const p = parseSentence([
      '/ip/firewall/nat/print',
      '=comment=a=b=c',
      '=empty=',
      '=bare',
      '.tag=42',
      '?>bytes=10',
      '?#|!',
      'session terminated on request',
    ]);
    expect(p.word).toBe('/ip/firewall/nat/print');
    expect(p.attributes).toEqual({ comment: 'a=b=c', empty: '', bare: '' });
    expect(p.apiAttributes).toEqual({ tag: '42' });
    expect(p.queries).toEqual(['?>bytes=10', '?#|!']);
    expect(p.other).toEqual(['session terminated on request']);
  });

  it('round-trips attributes built with attributeWords', () => {
    fc.assert(
      fc.property(
        fc.dictionary(
          fc.string({ minLength: 1 }).filter((k) => !k.includes('=')),
          fc.string(),
        ),
        (attrs) => {
          expect(parseSentence(['!re', ...attributeWords(attrs)]).attributes).toEqual({ ...attrs });
        },
      ),
    );
  });
});
