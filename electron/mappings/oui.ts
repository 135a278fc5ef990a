/**
 * MAC → vendor from the IEEE OUI registry as shipped by the maintained `oui-data` package (a JSON map
 * of 6-hex-digit OUI → "Vendor\nAddress…"). 5.6 MB, so it is read once, on first use, and indexed
 * where it lies (oui-index.ts): a vendor line becomes a string when a MAC asks for it.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { indexOui, type OuiTable } from './oui-index';

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

/** Anything that answers an OUI's vendor: the registry's index (oui-index.ts), or a Map in tests. */
export type OuiEntries = Pick<OuiTable, 'get'>;

export function lookupFrom(table: OuiEntries): VendorLookup {
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

export function createOuiLoader(readData: () => Promise<Uint8Array> = readOuiData): OuiLoader {
  let loaded: VendorLookup | null = null;
  let pending: Promise<VendorLookup> | null = null;
  return {
    ready: () => loaded,
    load() {
      pending ??= readData().then((bytes) => {
        loaded = lookupFrom(indexOui(bytes));
        return loaded;
      });
      return pending;
    },
  };
}

/** Where the registry file is (a caller that must read it synchronously reads it from here). */
export const ouiDataPath = (): string => createRequire(import.meta.url).resolve('oui-data');

async function readOuiData(): Promise<Buffer> {
  return readFile(ouiDataPath());
}
