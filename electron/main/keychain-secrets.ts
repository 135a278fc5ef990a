import { readFile } from 'node:fs/promises';
import { SecretStoreError, type SecretStore } from '../profiles';
import { DataDir, writeFileAtomic } from '../storage';

/** The part of Electron's safeStorage we use (injected so it can be tested without Electron). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only (Electron docs: safeStorage.getSelectedStorageBackend). */
  getSelectedStorageBackend?(): string;
}

/** Linux backends that keep the key in a real keychain; `basic_text` keeps it as a fixed string in the
 *  binary (Chromium os_crypt), `unknown` means asked before `ready`. */
const LINUX_KEYCHAINS = ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6'];

export const BASIC_TEXT_REASON =
  'This Linux desktop offers no keychain to Electron (no GNOME Keyring / libsecret, no KWallet), so a saved password would be protected only by a key built into the app (Electron’s “basic_text” store) — anyone who can read your files could read it. PortPilot asks for the password at each connection instead. To save passwords, install and unlock GNOME Keyring or KWallet (or start PortPilot with --password-store=gnome-libsecret), then save the router again.';

const UNAVAILABLE_REASON =
  'The system keychain is not available, so the password cannot be saved: PortPilot asks for it at each connection.';

/** Which OS facility holds the key: Windows DPAPI, macOS Keychain, or the Linux backend Electron chose. */
export function storageBackend(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string {
  if (platform === 'win32') return 'dpapi';
  if (platform === 'darwin') return 'keychain';
  return safeStorage.getSelectedStorageBackend?.() ?? 'unknown';
}

/** Why passwords cannot be saved here, or null when they can. */
export function cannotSaveReason(safeStorage: SafeStorageLike, platform: NodeJS.Platform): string | null {
  if (platform === 'linux') {
    const backend = storageBackend(safeStorage, platform);
    if (backend === 'basic_text') return BASIC_TEXT_REASON;
    if (!LINUX_KEYCHAINS.includes(backend)) return UNAVAILABLE_REASON;
  }
  return safeStorage.isEncryptionAvailable() ? null : UNAVAILABLE_REASON;
}

/**
 * Desktop secrets: each password encrypted with the OS keychain key through Electron safeStorage
 * (DPAPI on Windows, Keychain on macOS, libsecret/kwallet on Linux), stored as base64 in the config dir.
 * Where Linux falls back to `basic_text` nothing is stored (issue 15): `canSave` is false with the
 * reason, the profile is saved with "ask each time", and a password saved earlier under a real
 * keychain is not offered (it could not be decrypted with the fallback key anyway).
 */
export function keychainSecrets(
  safeStorage: SafeStorageLike,
  configDir: string,
  platform: NodeJS.Platform = process.platform,
): SecretStore {
  const file = new DataDir(configDir).path('keychainSecrets');
  const load = async (): Promise<Record<string, string>> => {
    try {
      return JSON.parse(await readFile(file, 'utf8')) as Record<string, string>;
    } catch {
      return {};
    }
  };
  const save = (all: Record<string, string>) => writeFileAtomic(file, JSON.stringify(all));
  // Asked each time: the backend is only known after app `ready`, and a keyring can be unlocked later.
  const reason = (): string | null => cannotSaveReason(safeStorage, platform);
  return {
    kind: 'os-keychain',
    weaker: false,
    get backend() {
      return storageBackend(safeStorage, platform);
    },
    get canSave() {
      return reason() === null;
    },
    get cannotSaveReason() {
      return reason();
    },
    async get(id) {
      if (reason() !== null) return undefined;
      const value = (await load())[id];
      return value === undefined ? undefined : safeStorage.decryptString(Buffer.from(value, 'base64'));
    },
    async has(id) {
      return reason() === null && id in (await load());
    },
    async set(id, secret) {
      const why = reason();
      if (why !== null) throw new SecretStoreError('unavailable', why);
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
