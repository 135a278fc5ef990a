import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { keychainSecrets } from './keychain-secrets';

// A reversible stand-in for the OS keychain: enough to prove the plain text never reaches the file.
const fakeSafeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (s: string) => Buffer.from([...Buffer.from(s)].map((b) => b ^ 0x5a)),
  decryptString: (b: Buffer) => Buffer.from([...b].map((x) => x ^ 0x5a)).toString(),
};

describe('keychain secrets (Electron safeStorage)', () => {
  it('stores only ciphertext, in a 0600 file, and reads it back', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pp-keychain-'));
    const secrets = keychainSecrets(fakeSafeStorage, dir);
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
    const secrets = keychainSecrets({ ...fakeSafeStorage, isEncryptionAvailable: () => false }, dir);
    await expect(secrets.set('p1', 'x')).rejects.toThrow(/ask each time/);
  });
});
