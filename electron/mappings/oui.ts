/**
 * MAC → vendor from the IEEE OUI registry as shipped by the maintained `oui-data` package (a JSON map
 * of 6-hex-digit OUI → "Vendor\nAddress…"). 5.6 MB, so it is read once, on first use, and only the
 * vendor line is kept.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';

export type VendorLookup = (mac: string | null | undefined) => string | null;

export interface OuiLoader {
  /** Resolves once; later calls return the same lookup. */
  load(): Promise<VendorLookup>;
  /** The lookup if already loaded, else null (callers show no vendor yet rather than wait). */
  ready(): VendorLookup | null;
}

export const normalizeOui = (mac: string): string | null => {
  const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
  return hex.length >= 6 ? hex.slice(0, 6) : null;
};

/** A locally administered MAC (bit 1 of the first octet, IEEE 802) is random: phones' private Wi-Fi addresses. */
export const isRandomizedMac = (mac: string): boolean => {
  const first = parseInt(mac.replace(/[^0-9a-fA-F]/g, '').slice(0, 2), 16);
  return Number.isInteger(first) && (first & 0x02) !== 0;
};

export function lookupFrom(table: Map<string, string>): VendorLookup {
  return (mac) => {
    if (!mac) return null;
    const hex = mac.replace(/[^0-9a-fA-F]/g, '').toUpperCase();
    if (hex.length < 6) return null;
    // IEEE MA-S (36-bit) and MA-M (28-bit) blocks first, then the MA-L (24-bit) OUI.
    const hit = table.get(hex.slice(0, 9)) ?? table.get(hex.slice(0, 7)) ?? table.get(hex.slice(0, 6));
    if (hit) return hit;
    return isRandomizedMac(mac) ? 'private (randomized) address' : null;
  };
}

export function createOuiLoader(readJson: () => Promise<string> = readOuiData): OuiLoader {
  let loaded: VendorLookup | null = null;
  let pending: Promise<VendorLookup> | null = null;
  return {
    ready: () => loaded,
    load() {
      pending ??= readJson().then((text) => {
        loaded = lookupFrom(parseOuiJson(text));
        return loaded;
      });
      return pending;
    },
  };
}

/**
 * Only the vendor line of each entry, scanned straight from the JSON text: JSON.parse would build all
 * 50,000 full postal addresses first and grow the process by ~65 MB for good (V8 keeps the heap).
 * Vendor names repeat (Apple has hundreds of OUIs), so each is kept once.
 */
export function parseOuiJson(text: string): Map<string, string> {
  const table = new Map<string, string>();
  const names = new Map<string, string>();
  const entry = /"([0-9A-Fa-f]{6,9})"\s*:\s*"((?:[^"\\]|\\[^n])*)/g;
  for (let m = entry.exec(text); m; m = entry.exec(text)) {
    const raw = m[2] ?? '';
    const vendor = raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
    const shared = names.get(vendor) ?? vendor;
    names.set(shared, shared);
    table.set((m[1] ?? '').toUpperCase(), shared);
  }
  return table;
}

async function readOuiData(): Promise<string> {
  const require = createRequire(import.meta.url);
  return readFile(require.resolve('oui-data'), 'utf8');
}
