import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BASIC_TEXT_REASON, keychainSecrets } from './keychain-secrets';

// A reversible stand-in for the OS keychain: enough to prove the plain text never reaches the file.
const fakeSafeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('keychain secrets (Electron safeStorage)', () => {
  it('stores only ciphertext, in a 0600 file, and reads it back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-keychain-'));
    const secrets = keychainSecrets(fakeSafeStorage, dir, 'win32');
    await secrets.set('p1', 'hunter2-secret');
    expect(await secrets.get('p1')).toBe('hunter2-secret');
    expect(await secrets.has('p1')).toBe(true);
    expect(await secrets.has('p2')).toBe(false);
    const file = path.join(dir, 'secrets.keychain.json');
    expect(readFileSync(file, 'utf8')).not.toContain('hunter2');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    await secrets.delete('p1');
    expect(await secrets.get('p1')).toBeUndefined();
    expect(await secrets.has('p1')).toBe(false);
  });

  it('refuses to save when the keychain is unavailable, with advice', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-keychain-'));
    const secrets = keychainSecrets({ ...fakeSafeStorage, isEncryptionAvailable: () => false }, dir, 'darwin');
    expect(secrets.canSave).toBe(false);
    await expect(secrets.set('p1', 'x')).rejects.toThrow(/asks for it at each connection/);
  });

  it('names the backend per platform: DPAPI, Keychain, and the one Electron chose on Linux', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-keychain-'));
    const linux = (backend: string) =>
      keychainSecrets({ ...fakeSafeStorage, getSelectedStorageBackend: () => backend }, dir, 'linux');
    expect(keychainSecrets(fakeSafeStorage, dir, 'win32').backend).toBe('dpapi');
    expect(keychainSecrets(fakeSafeStorage, dir, 'darwin').backend).toBe('keychain');
    for (const b of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
      expect([linux(b).backend, linux(b).canSave, linux(b).cannotSaveReason]).toEqual([b, true, null]);
    }
    // Before `ready` Electron says 'unknown': not a keychain either.
    expect(linux('unknown').canSave).toBe(false);
  });

  it('on Linux with basic_text stores nothing, says why, and no longer offers a password saved under a keychain', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-keychain-'));
    let backend = 'gnome_libsecret';
    const secrets = keychainSecrets({ ...fakeSafeStorage, getSelectedStorageBackend: () => backend }, dir, 'linux');
    await secrets.set('p1', 'saved-under-libsecret');
    backend = 'basic_text'; // the next session started without a keyring (e.g. over SSH, a bare window manager)
    expect(secrets.canSave).toBe(false);
    expect(secrets.cannotSaveReason).toBe(BASIC_TEXT_REASON);
    expect(BASIC_TEXT_REASON).toMatch(/basic_text.*asks for the password at each connection/s);
    await expect(secrets.set('p2', 'weak')).rejects.toMatchObject({ name: 'SecretStoreError', reason: 'unavailable' });
    expect(await secrets.has('p1')).toBe(false);
    expect(await secrets.get('p1')).toBeUndefined();
    expect(readFileSync(path.join(dir, 'secrets.keychain.json'), 'utf8')).not.toContain('weak');
    backend = 'gnome_libsecret'; // keyring back: the saved password is there again
    expect(await secrets.get('p1')).toBe('saved-under-libsecret');
  });
});
