import { readFile } from 'node:fs/promises';
import type { SecretStore } from '../profiles';
import { DataDir, writeFileAtomic } from '../storage';

/** The part of Electron's safeStorage we use (injected so it can be tested without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

/**
 * Desktop secrets: each password encrypted with the OS keychain key through Electron safeStorage
 * (Keychain on macOS, DPAPI on Windows, libsecret/kwallet on Linux), stored as base64 in the config dir.
 */
export function keychainSecrets(safeStorage: SafeStorageLike, configDir: string): SecretStore {
  const file = new DataDir(configDir).path('keychainSecrets');
  const load = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = (all: Record<string, string>) => writeFileAtomic(file, JSON.stringify(all));
  return {
    kind: 'os-keychain',
    weaker: false,
    async get(id) {
      const value = (await load())[id];
      return value === undefined ? undefined : safeStorage.decryptString(Buffer.from(value, 'base64'));
    },
    async has(id) {
      return id in (await load());
    },
    async set(id, secret) {
      if (!safeStorage.isEncryptionAvailable()) {
        throw new Error(
          'The system keychain is not available, so the password cannot be saved: choose “ask each time”.',
        );
      }
      const all = await load();
      all[id] = safeStorage.encryptString(secret).toString('base64');
      await save(all);
    },
    async delete(id) {
      const all = await load();
      if (!(id in all)) return;
      delete all[id];
      await save(all);
    },
  };
}
