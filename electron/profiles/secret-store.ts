/**
 * Where saved router passwords live. The desktop app uses Electron safeStorage (OS keychain; the
 * lead's implementation). Web mode uses FileSecretStore: AES-256-GCM (NIST SP 800-38D) with a random
 * 96-bit IV per entry and the profile id as additional authenticated data (an entry copied onto
 * another id fails to decrypt), the 256-bit key in a file beside it. Both files are mode 0600.
 * It is WEAKER than a keychain: anyone who can read the config directory as this user can read both
 * files, so it only protects against casual reading, backups of one file, and tampering. Say so in
 * the UI (`weaker: true`).
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { chmod, readFile } from 'node:fs/promises';
import { z } from 'zod';
import { DataDir, writeFileAtomic } from '../storage';

export interface SecretStore {
  readonly kind: 'os-keychain' | 'encrypted-file';
  /** True when the protection is weaker than the OS keychain (show it in the UI). */
  readonly weaker: boolean;
  /** What holds the key: 'dpapi', 'keychain', a Linux backend ('gnome_libsecret', 'kwallet5', 'basic_text'…), 'file'. */
  readonly backend: string;
  /** False when a password must not be saved here (Linux without a keychain): ask each time instead. */
  readonly canSave: boolean;
  /** Why it cannot save, for people; null when it can. */
  readonly cannotSaveReason: string | null;
  get(id: string): Promise<string | undefined>;
  /** Whether a password is saved, without decrypting it (profile lists only need to know that). */
  has(id: string): Promise<boolean>;
  set(id: string, password: string): Promise<void>;
  delete(id: string): Promise<void>;
}

export type SecretStoreErrorCode = 'tampered' | 'key-missing' | 'unreadable' | 'unavailable';

export class SecretStoreError extends Error {
  readonly code = 'secret-store';
  constructor(
    readonly reason: SecretStoreErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

const entrySchema = z.object({ iv: z.string(), tag: z.string(), data: z.string() });
const fileSchema = z.object({ version: z.literal(1), entries: z.record(z.string(), entrySchema) });
type SecretsFile = z.output<typeof fileSchema>;
type Entry = z.output<typeof entrySchema>;

const KEY_BYTES = 32;
const IV_BYTES = 12;

export class FileSecretStore implements SecretStore {
  readonly kind = 'encrypted-file' as const;
  readonly weaker = true;
  readonly backend = 'file';
  readonly canSave = true;
  readonly cannotSaveReason = null;
  readonly secretsPath: string;
  readonly keyPath: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(configDir: string) {
    const data = new DataDir(configDir);
    this.secretsPath = data.path('secrets');
    this.keyPath = data.path('secretsKey');
  }

  async get(id: string): Promise<string | undefined> {
    return this.serial(async () => {
      const file = await this.readSecrets();
      const entry = file.entries[id];
      if (!entry) return undefined;
      const key = await this.readKey(false);
      if (!key) {
        throw new SecretStoreError(
          'key-missing',
          `The key file ${this.keyPath} is missing, so saved passwords cannot be decrypted. Enter the password again.`,
        );
      }
      return decrypt(key, id, entry);
    });
  }

  async has(id: string): Promise<boolean> {
    return this.serial(async () => id in (await this.readSecrets()).entries);
  }

  async set(id: string, password: string): Promise<void> {
    await this.serial(async () => {
      const file = await this.readSecrets();
      const key = (await this.readKey(true)) as Buffer;
      file.entries[id] = encrypt(key, id, password);
      await writeFileAtomic(this.secretsPath, JSON.stringify(file));
    });
  }

  async delete(id: string): Promise<void> {
    await this.serial(async () => {
      const file = await this.readSecrets();
      if (!(id in file.entries)) return;
      delete file.entries[id];
      await writeFileAtomic(this.secretsPath, JSON.stringify(file));
    });
  }

  private serial<R>(fn: () => Promise<R>): Promise<R> {
    const run = this.queue.then(fn);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async readSecrets(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(this.secretsPath, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { version: 1, entries: {} };
      throw err;
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    const parsed = fileSchema.safeParse(json);
    if (!parsed.success) {
      throw new SecretStoreError(
        'unreadable',
        `The saved-password file ${this.secretsPath} is damaged. Delete it and enter the passwords again.`,
      );
    }
    return { version: 1, entries: { ...parsed.data.entries } };
  }

  /** Reads the key; creates it (mode 0600) when `create` and it does not exist yet. */
  private async readKey(create: boolean): Promise<Buffer | undefined> {
    try {
      const key = await readFile(this.keyPath);
      if (key.length !== KEY_BYTES) {
        throw new SecretStoreError(
          'tampered',
          `The key file ${this.keyPath} has the wrong size; saved passwords cannot be decrypted.`,
        );
      }
      // Tighten the mode if someone loosened it (e.g. a copy with the wrong umask).
      await chmod(this.keyPath, 0o600);
      return key;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      if (!create) return undefined;
      const key = randomBytes(KEY_BYTES);
      await writeFileAtomic(this.keyPath, key);
      return key;
    }
  }
}

function encrypt(key: Buffer, id: string, password: string): Entry {
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(id, 'utf8'));
  const data = Buffer.concat([cipher.update(password, 'utf8'), cipher.final()]);
  return { iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
}

function decrypt(key: Buffer, id: string, entry: Entry): string {
  try {
    const iv = Buffer.from(entry.iv, 'base64');
    const tag = Buffer.from(entry.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== 16) throw new Error('bad iv or tag length');
    const decipher = createDecipheriv('aes-256-gcm', key, iv);
    decipher.setAAD(Buffer.from(id, 'utf8'));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(Buffer.from(entry.data, 'base64')), decipher.final()]).toString('utf8');
  } catch {
    throw new SecretStoreError(
      'tampered',
      'The saved password for this profile cannot be decrypted: the secrets file or its key was changed. Enter the password again.',
    );
  }
}
