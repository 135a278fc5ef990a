/**
 * The IEEE OUI registry (`oui-data`: a JSON object of 6, 7 or 9 hex digit OUI → "Vendor\nAddress…",
 * 5.6 MB) as an index over the file's own bytes: OUI → where its vendor line starts. A vendor name
 * becomes a string only when a MAC asks for it (a home network has tens of makers, the registry
 * 50,000 entries).
 *
 * Issue 14: the registry is read while the first mappings snapshot streams in, on the same thread.
 * Decoding it to text made an 11 MB two-byte string, and a regex over it two substrings per entry:
 * about 100 ms of CPU and as much garbage collection inside the snapshot. This scan creates no string
 * at all; the bytes live outside the JS heap.
 *
 * What counts as an entry is exactly what the regex `"([0-9A-Fa-f]{6,9})"\s*:\s*"` found, scanning on
 * after the vendor line like it; the vendor line runs to the string's end or its first `\n` escape,
 * other escapes decoded as JSON does (oui-index.test.ts checks both against that regex).
 */

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const LETTER_N = 0x6e;
/** JSON whitespace, plus \v and \f, which the regex this replaced also took (`\s`). */
const isSpace = (b: number | undefined) => b === 0x20 || (b !== undefined && b >= 0x09 && b <= 0x0d);

/** 0-15 for a hex digit byte, -1 otherwise. */
function hexValue(b: number | undefined): number {
  if (b === undefined) return -1;
  if (b >= 0x30 && b <= 0x39) return b - 0x30;
  const lower = b | 0x20;
  return lower >= 0x61 && lower <= 0x66 ? lower - 0x61 + 10 : -1;
}

/** A 6-9 digit OUI as one number: its value (≤ 36 bits) and its digit count, so 001BC5 ≠ 0001BC5. */
const ouiKey = (value: number, digits: number) => value * 16 + digits;

export interface OuiTable {
  /** The vendor line of an OUI written as 6-9 hex digits (either case); undefined if not listed. */
  get(oui: string): string | undefined;
  readonly size: number;
}

export function indexOui(bytes: Uint8Array): OuiTable {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const starts = new Map<number, number>();
  // Native indexOf jumps over the postal addresses (most of the bytes); only keys and vendor lines
  // are read byte by byte.
  for (let at = buf.indexOf(QUOTE); at !== -1;) {
    const entry = readKey(buf, at);
    if (entry) starts.set(entry.key, entry.vendorAt);
    at = buf.indexOf(QUOTE, entry ? vendorEnd(buf, entry.vendorAt).end : at + 1);
  }
  const vendors = new Map<number, string>();
  return {
    size: starts.size,
    get(oui) {
      const key = keyOf(oui);
      const start = key === null ? undefined : starts.get(key);
      if (key === null || start === undefined) return undefined;
      let vendor = vendors.get(key);
      if (vendor === undefined) vendors.set(key, (vendor = decodeVendor(buf, start)));
      return vendor;
    },
  };
}

/** The key whose opening quote is at `at`, and where its vendor line starts; null if none starts there. */
function readKey(buf: Buffer, at: number): { key: number; vendorAt: number } | null {
  let value = 0;
  let i = at + 1;
  for (let d = hexValue(buf[i]); d >= 0; d = hexValue(buf[++i])) value = value * 16 + d;
  const digits = i - at - 1;
  if (digits < 6 || digits > 9 || buf[i] !== QUOTE) return null;
  i++;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== COLON) return null;
  i++;
  while (isSpace(buf[i])) i++;
  if (buf[i] !== QUOTE) return null;
  return { key: ouiKey(value, digits), vendorAt: i + 1 };
}

/** Where the vendor line starting at `start` ends (a quote, a `\n` escape, a lone `\` or the end). */
function vendorEnd(buf: Buffer, start: number): { end: number; escaped: boolean; ascii: boolean } {
  let escaped = false;
  let ascii = true;
  let i = start;
  for (; i < buf.length; i++) {
    const b = buf[i]!;
    if (b === QUOTE) break;
    if (b >= 0x80) ascii = false;
    if (b !== BACKSLASH) continue;
    if (i + 1 >= buf.length || buf[i + 1] === LETTER_N) break;
    escaped = true;
    i++;
  }
  return { end: i, escaped, ascii };
}

function decodeVendor(buf: Buffer, start: number): string {
  const { end, escaped, ascii } = vendorEnd(buf, start);
  const raw = buf.toString(ascii ? 'latin1' : 'utf8', start, end);
  return escaped ? (JSON.parse(`"${raw}"`) as string) : raw;
}

function keyOf(oui: string): number | null {
  if (oui.length < 6 || oui.length > 9) return null;
  let value = 0;
  for (let i = 0; i < oui.length; i++) {
    const d = hexValue(oui.charCodeAt(i));
    if (d < 0) return null;
    value = value * 16 + d;
  }
  return ouiKey(value, oui.length);
}
