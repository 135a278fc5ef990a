import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FileSecretStore, SecretStoreError } from './secret-store';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'portpilot-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const mode = async (p: string): Promise<number> => (await stat(p)).mode & 0o777;

describe('FileSecretStore', () => {
  it('says what it is: an encrypted file, weaker than a keychain', () => {
    const s = new FileSecretStore(dir);
    expect([s.kind, s.weaker]).toEqual(['encrypted-file', true]);
  });

  it('round-trips passwords per id across instances; the file holds no plaintext', async () => {
    const s = new FileSecretStore(dir);
    await s.set('p1', 'hunter2-ÄÖ €');
    await s.set('p2', '');
    const again = new FileSecretStore(dir);
    expect(await again.get('p1')).toBe('hunter2-ÄÖ €');
    expect(await again.get('p2')).toBe('');
    expect(await again.get('nope')).toBeUndefined();
    expect([await again.has('p2'), await again.has('nope')]).toEqual([true, false]);
    expect(await readFile(s.secretsPath, 'utf8')).not.toContain('hunter2');
    await again.delete('p1');
    expect(await new FileSecretStore(dir).get('p1')).toBeUndefined();
    expect(await again.has('p1')).toBe(false);
  });

  it('keeps both files at mode 0600, even when the umask is loose or the key was loosened', async () => {
    const old = process.umask(0o022);
    try {
      const s = new FileSecretStore(dir);
      await s.set('p1', 'pw');
      expect(await mode(s.secretsPath)).toBe(0o600);
      expect(await mode(s.keyPath)).toBe(0o600);
      await chmod(s.keyPath, 0o644);
      await s.set('p2', 'pw2');
      expect(await mode(s.keyPath)).toBe(0o600);
      expect(await mode(s.secretsPath)).toBe(0o600);
    } finally {
      process.umask(old);
    }
  });

  it('reports tampering with the ciphertext, the tag, or the key clearly', async () => {
    const s = new FileSecretStore(dir);
    await s.set('p1', 'pw');
    const file = JSON.parse(await readFile(s.secretsPath, 'utf8')) as {
      entries: Record<string, { data: string; tag: string }>;
    };
    const entry = file.entries['p1'];
    if (!entry) throw new Error('no entry');
    const flipped = Buffer.from(entry.data, 'base64');
    flipped[0] = (flipped[0] ?? 0) ^ 1;
    await writeFile(
      s.secretsPath,
      JSON.stringify({ ...file, entries: { p1: { ...entry, data: flipped.toString('base64') } } }),
    );
    const err = await s.get('p1').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SecretStoreError);
    expect(err).toMatchObject({
      reason: 'tampered',
      message: expect.stringMatching(/cannot be decrypted.*Enter the password again/),
    });

    await s.set('p1', 'pw');
    await writeFile(s.keyPath, Buffer.alloc(32, 7));
    await expect(new FileSecretStore(dir).get('p1')).rejects.toMatchObject({ reason: 'tampered' });
    await writeFile(s.keyPath, Buffer.alloc(5));
    await expect(new FileSecretStore(dir).get('p1')).rejects.toMatchObject({ reason: 'tampered' });
  });

  it('an entry copied onto another profile id does not decrypt (id is authenticated)', async () => {
    const s = new FileSecretStore(dir);
    await s.set('victim', 'secret');
    await s.set('other', 'x');
    const file = JSON.parse(await readFile(s.secretsPath, 'utf8')) as { entries: Record<string, unknown> };
    file.entries['other'] = file.entries['victim'];
    await writeFile(s.secretsPath, JSON.stringify(file));
    await expect(s.get('other')).rejects.toMatchObject({ reason: 'tampered' });
  });

  it('a missing key or a damaged file is a clear error, not a crash or a silent undefined', async () => {
    const s = new FileSecretStore(dir);
    await s.set('p1', 'pw');
    await rm(s.keyPath);
    await expect(s.get('p1')).rejects.toMatchObject({ reason: 'key-missing' });
    await writeFile(s.secretsPath, 'not json');
    await expect(s.get('p1')).rejects.toMatchObject({ reason: 'unreadable' });
  });

  it('round-trips any string (property)', async () => {
    const s = new FileSecretStore(dir);
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme', maxLength: 80 }), async (pw) => {
        await s.set('p', pw);
        expect(await s.get('p')).toBe(pw);
      }),
      { numRuns: 40 },
    );
  });
});
