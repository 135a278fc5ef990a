/**
 * RouterOS API wire codec (pure: no sockets, no timers). Used by the demo router's API server
 * (demo-router/api/server.ts decodes, reply.ts encodes) and by test peers that speak the wire protocol
 * (router-session/scripted-server.test-support.ts, demo-router/api/test-support.ts). PortPilot's own
 * client does not use it: it talks through patched node-routeros (router-session/transport.ts).
 *
 * A word is a length prefix followed by that many bytes; a sentence is words ended by a zero-length
 * word (MikroTik "API" manual, "Protocol"). Prefix forms, big-endian:
 *   len <= 0x7F        1 byte   len
 *   len <= 0x3FFF      2 bytes  len | 0x8000
 *   len <= 0x1FFFFF    3 bytes  len | 0xC00000
 *   len <= 0xFFFFFFF   4 bytes  len | 0xE0000000
 *   larger             0xF0 then len as 4 bytes
 * A first byte >= 0xF8 is a reserved control byte; the manual says a receiver that sees one cannot
 * make sense of the stream, so we reject it.
 *
 * Text: RouterOS itself deals in bytes. Words are encoded as UTF-8 and decoded by the rule in text.ts
 * (valid UTF-8 → UTF-8, else windows-1252), the same rule the patched node-routeros client uses.
 */
import { decodeWordText } from './text';

export type CodecErrorCode =
  'reserved-prefix' | 'word-too-large' | 'sentence-too-large' | 'length-out-of-range' | 'empty-word';

export class CodecError extends Error {
  constructor(
    readonly code: CodecErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'CodecError';
  }
}

/** Largest length the 5-byte form can carry. */
export const MAX_ENCODABLE_LENGTH = 0xffffffff;
/** Default decoder word limit: 1 MiB, far above anything RouterOS sends in practice. */
export const DEFAULT_MAX_WORD_BYTES = 1024 * 1024;
/** Default limits for one sentence: replies carry a few dozen words, commands fewer. */
export const DEFAULT_MAX_SENTENCE_WORDS = 65_536;
export const DEFAULT_MAX_SENTENCE_BYTES = 16 * 1024 * 1024;

export function encodeLength(n: number): Buffer {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ENCODABLE_LENGTH) {
    throw new CodecError('length-out-of-range', `word length ${n} cannot be encoded`);
  }
  if (n <= 0x7f) return Buffer.from([n]);
  if (n <= 0x3fff) return Buffer.from([(n >>> 8) | 0x80, n & 0xff]);
  if (n <= 0x1fffff) return Buffer.from([(n >>> 16) | 0xc0, (n >>> 8) & 0xff, n & 0xff]);
  if (n <= 0xfffffff) {
    return Buffer.from([(n >>> 24) | 0xe0, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff]);
  }
  const out = Buffer.alloc(5);
  out[0] = 0xf0;
  out.writeUInt32BE(n, 1);
  return out;
}

export function encodeWord(word: string | Buffer): Buffer {
  const bytes = typeof word === 'string' ? Buffer.from(word, 'utf8') : word;
  return Buffer.concat([encodeLength(bytes.length), bytes]);
}

/**
 * Encodes the words followed by the terminating zero-length word. An empty word inside a sentence
 * would end it early and turn the rest into a second sentence (a command injection), so it is refused.
 */
export function encodeSentence(words: readonly (string | Buffer)[]): Buffer {
  if (words.some((w) => w.length === 0)) {
    throw new CodecError('empty-word', 'a sentence cannot contain an empty word (it would end the sentence)');
  }
  // One allocation per sentence: a 10,000-row print encodes 10,000 sentences of ~12 words, and a
  // Buffer per word plus a Buffer per length prefix plus two concats was most of the encoder's time.
  const sizes = words.map((w) => (typeof w === 'string' ? Buffer.byteLength(w, 'utf8') : w.length));
  let total = 1;
  for (const n of sizes) total += prefixLength(n) + n;
  const out = Buffer.allocUnsafe(total);
  let offset = 0;
  words.forEach((w, i) => {
    const n = sizes[i] ?? 0;
    offset = writeLength(out, offset, n);
    offset += typeof w === 'string' ? out.write(w, offset, 'utf8') : w.copy(out, offset);
  });
  out[offset] = 0;
  return out;
}

/** Bytes the length prefix of an n-byte word takes (MikroTik "API" manual, "API words"). */
function prefixLength(n: number): number {
  if (!Number.isInteger(n) || n < 0 || n > MAX_ENCODABLE_LENGTH) {
    throw new CodecError('length-out-of-range', `word length ${n} cannot be encoded`);
  }
  return n <= 0x7f ? 1 : n <= 0x3fff ? 2 : n <= 0x1fffff ? 3 : n <= 0xfffffff ? 4 : 5;
}

/** Writes encodeLength(n) into `out` at `offset`; returns the offset after it. */
function writeLength(out: Buffer, offset: number, n: number): number {
  const prefix = n <= 0x7f ? n : encodeLength(n);
  if (typeof prefix === 'number') {
    out[offset] = prefix;
    return offset + 1;
  }
  return offset + prefix.copy(out, offset);
}

/**
 * How many bytes the prefix starting with `first` occupies, or a CodecError for a reserved byte.
 * Exported for clients that want to peek.
 */
export function prefixSize(first: number): number {
  if (first < 0x80) return 1;
  if (first < 0xc0) return 2;
  if (first < 0xe0) return 3;
  if (first < 0xf0) return 4;
  if (first < 0xf8) return 5;
  throw new CodecError(
    'reserved-prefix',
    `reserved control byte 0x${first.toString(16)} where a word length was expected`,
  );
}

/** Decodes a complete prefix of `size` bytes at `offset`. */
function readLength(buf: Buffer, offset: number, size: number): number {
  const b0 = buf[offset] ?? 0;
  switch (size) {
    case 1:
      return b0;
    case 2:
      return ((b0 & 0x3f) << 8) | (buf[offset + 1] ?? 0);
    case 3:
      return ((b0 & 0x1f) << 16) | buf.readUInt16BE(offset + 1);
    case 4:
      return (b0 & 0x0f) * 0x1000000 + buf.readUIntBE(offset + 1, 3);
    default:
      return buf.readUInt32BE(offset + 1);
  }
}

export interface SentenceDecoderOptions {
  /** Largest accepted word in bytes; a longer prefix raises CodecError('word-too-large'). */
  maxWordBytes?: number;
  /** Most words in one sentence; more raises CodecError('sentence-too-large'). */
  maxSentenceWords?: number;
  /** Most bytes of words in one sentence; more raises CodecError('sentence-too-large'). */
  maxSentenceBytes?: number;
}

/**
 * Streaming decoder: feed it TCP chunks in any split (even inside a length prefix) and it returns
 * the sentences that became complete. Memory is bounded by maxWordBytes plus the words of the
 * sentence in progress, itself bounded by maxSentenceWords and maxSentenceBytes.
 * After a CodecError the stream is out of sync and the decoder must not be used again.
 */
export class SentenceDecoder {
  private maxWordBytes: number;
  private maxSentenceWords: number;
  private maxSentenceBytes: number;
  private sentenceBytes = 0;
  private buffer: Buffer = Buffer.alloc(0);
  private words: string[] = [];
  private failed: CodecError | undefined;

  constructor(opts: SentenceDecoderOptions = {}) {
    this.maxWordBytes = opts.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
    this.maxSentenceWords = opts.maxSentenceWords ?? DEFAULT_MAX_SENTENCE_WORDS;
    this.maxSentenceBytes = opts.maxSentenceBytes ?? DEFAULT_MAX_SENTENCE_BYTES;
  }

  /** Words decoded so far in the sentence that is not complete yet. */
  get pendingWords(): number {
    return this.words.length;
  }

  /** Bytes held that do not form a complete word yet. */
  get bufferedBytes(): number {
    return this.buffer.length;
  }

  /** Changes the limits; they apply from the next word on (e.g. raised once a client logged in). */
  setLimits(opts: SentenceDecoderOptions): void {
    this.maxWordBytes = opts.maxWordBytes ?? this.maxWordBytes;
    this.maxSentenceWords = opts.maxSentenceWords ?? this.maxSentenceWords;
    this.maxSentenceBytes = opts.maxSentenceBytes ?? this.maxSentenceBytes;
  }

  /** Feeds a chunk; returns the sentences it completed. */
  push(chunk: Buffer): string[][] {
    const sentences: string[][] = [];
    this.feed(chunk, (words) => sentences.push(words));
    return sentences;
  }

  /**
   * Feeds a chunk and calls `onSentence` for each sentence as soon as it is complete, so that the
   * callback can change the limits (setLimits) before the next word of the same chunk is read.
   */
  feed(chunk: Buffer, onSentence: (words: string[]) => void): void {
    if (this.failed) throw this.failed;
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    let offset = 0;
    try {
      for (;;) {
        const word = this.nextWord(offset);
        if (!word) break;
        offset = word.end;
        if (word.length > 0) {
          this.addWord(decodeWordText(this.buffer, word.end - word.length, word.end), word.length);
          continue;
        }
        const words = this.words;
        this.words = [];
        this.sentenceBytes = 0;
        // The manual: "empty sentences are ignored".
        if (words.length > 0) onSentence(words);
      }
    } catch (err) {
      if (err instanceof CodecError) this.failed = err;
      this.buffer = this.buffer.subarray(offset);
      throw err;
    }
    this.buffer = this.buffer.subarray(offset);
    // Copy a small remainder so a huge chunk is not kept alive by a tiny tail.
    if (this.buffer.length > 0 && this.buffer.length < 4096) this.buffer = Buffer.from(this.buffer);
  }

  private addWord(word: string, bytes: number): void {
    this.sentenceBytes += bytes;
    if (this.words.length >= this.maxSentenceWords || this.sentenceBytes > this.maxSentenceBytes) {
      throw new CodecError(
        'sentence-too-large',
        `sentence exceeds ${this.maxSentenceWords} words or ${this.maxSentenceBytes} bytes`,
      );
    }
    this.words.push(word);
  }

  /** The complete word at `offset`, or undefined when more bytes are needed. */
  private nextWord(offset: number): { end: number; length: number } | undefined {
    const first = this.buffer[offset];
    if (first === undefined) return undefined;
    const size = prefixSize(first);
    if (this.buffer.length - offset < size) return undefined;
    const length = readLength(this.buffer, offset, size);
    if (length > this.maxWordBytes) {
      throw new CodecError('word-too-large', `word of ${length} bytes exceeds the limit of ${this.maxWordBytes} bytes`);
    }
    const end = offset + size + length;
    if (this.buffer.length < end) return undefined;
    return { end, length };
  }
}
