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
    const key = normalizeOui(mac);
    if (!key) return null;
    const hit = table.get(key);
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
        const raw = JSON.parse(text) as Record<string, string>;
        const table = new Map<string, string>();
        for (const [oui, value] of Object.entries(raw)) table.set(oui.toUpperCase(), value.split('\n')[0] ?? value);
        loaded = lookupFrom(table);
        return loaded;
      });
      return pending;
    },
  };
}

async function readOuiData(): Promise<string> {
  const require = createRequire(import.meta.url);
  return readFile(require.resolve('oui-data'), 'utf8');
}
