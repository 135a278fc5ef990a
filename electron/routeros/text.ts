/**
 * Text of RouterOS API words: one rule for both directions, used by the demo router's codec
 * (codec.ts) and, as a byte-for-byte copy, by the patched node-routeros (`decodeWord` in
 * patches/node-routeros+1.6.9.patch, which cannot import TypeScript from the app: the library is
 * loaded from node_modules at run time). text.test.ts runs both against TEXT_VECTORS.
 *
 * RouterOS has no text encoding of its own: it stores and returns the bytes a client sent. Winbox
 * sends the Windows code page of the PC that typed the text; WebFig, REST and most API libraries send
 * UTF-8. Sources: the librouteros maintainer ("MikroTik does not support any kind of encoding. In
 * winbox it uses encoding which is set in your windows machine. MikroTik just stores bytes",
 * luqasz/librouteros#30); a Winbox-typed accent arriving as windows-125x bytes (librouteros#123); a
 * UTF-8 comment written through the API reading back as `\C3\B6` over SSH (librouteros#131);
 * Home Assistant integrations that first failed on such words (home-assistant/core#28780, #44111) and
 * settled on "valid UTF-8 first, else a code page" (Csontikka/ha-mikrotik-extended#14).
 *
 * Decoding: a word that is valid UTF-8 is UTF-8 (ASCII is both); any other word is windows-1252,
 * the code page of Western European Winbox installations and of node-routeros before us. A stray
 * windows-1252 text that happens to be valid UTF-8 needs two or more accented bytes in a row in a
 * very specific order ("Ã©"), which real names and comments practically never are.
 *
 * Encoding: always UTF-8. It represents every string (windows-1252 cannot write "客厅"), it is what
 * WebFig, REST and Winbox 4 show correctly, and it reads back unchanged through the rule above, so
 * whatever PortPilot writes round-trips exactly. Cost: Winbox 3 on a Western PC shows UTF-8 accents as
 * two characters ("Ã¼"); the router keeps the right bytes.
 */
import { isUtf8 } from 'node:buffer';

/**
 * windows-1252 0x80–0x9F (WHATWG Encoding Standard, index-windows-1252). The five bytes the code page
 * leaves undefined (0x81, 0x8D, 0x8F, 0x90, 0x9D) map to the C1 control of the same number, as WHATWG
 * does, so no byte is lost. 0xA0–0xFF equal Latin-1.
 */
const WIN1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152, 0x8d, 0x17d, 0x8f,
  0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122, 0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];

function decodeWin1252(buf: Uint8Array, start: number, end: number): string {
  let out = '';
  for (let i = start; i < end; i++) {
    const b = buf[i] ?? 0;
    out += String.fromCharCode(b >= 0x80 && b < 0xa0 ? (WIN1252_HIGH[b - 0x80] ?? b) : b);
  }
  return out;
}

/** The text of the word in `buf[start, end)`: UTF-8 when the bytes are valid UTF-8, else windows-1252. */
export function decodeWordText(buf: Buffer, start = 0, end = buf.length): string {
  for (let i = start; i < end; i++) {
    if ((buf[i] ?? 0) >= 0x80) {
      return isUtf8(buf.subarray(start, end)) ? buf.toString('utf8', start, end) : decodeWin1252(buf, start, end);
    }
  }
  // Pure 7-bit: the same text in every encoding; latin1 is the fastest decoder Node has.
  return buf.toString('latin1', start, end);
}

/** Bytes of a word PortPilot sends: always UTF-8 (see the module comment). */
export function encodeWordText(text: string): Buffer {
  return Buffer.from(text, 'utf8');
}

/** Bytes a word of this text takes on the wire. */
export function wordTextBytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/**
 * Shared test vectors: [bytes as hex, decoded text]. The patched node-routeros and codec.ts must both
 * decode every one of them to the same text (text.test.ts).
 */
export const TEXT_VECTORS: ReadonlyArray<readonly [hex: string, text: string]> = [
  ['', ''],
  [Buffer.from('=name=ether1').toString('hex'), '=name=ether1'],
  [Buffer.from('Wohnzimmer-Überwachung').toString('hex'), 'Wohnzimmer-Überwachung'],
  [Buffer.from('客厅').toString('hex'), '客厅'],
  [Buffer.from('Kamera 📷').toString('hex'), 'Kamera 📷'],
  // windows-1252 as Winbox on a Western PC sends it: "Überwachung", "café €", smart quotes.
  ['dc62657277616368756e67', 'Überwachung'],
  ['636166e92080', 'café €'],
  ['93786494', '\u201cxd\u201d'],
  // The undefined windows-1252 bytes keep their number.
  ['818d8f909d', '\u0081\u008d\u008f\u0090\u009d'],
  // Invalid UTF-8 (a lone continuation byte, a truncated sequence, an overlong '/', a UTF-16 surrogate
  // half) falls back to windows-1252 for the whole word, never a U+FFFD.
  ['41a9', 'A©'],
  ['e5ae', 'å®'],
  ['c0af', 'À¯'],
  ['eda080', 'í\u00a0€'],
];
