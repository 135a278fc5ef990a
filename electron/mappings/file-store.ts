/** Files in the app's data dir, written atomically (temp file in the same dir, then rename). */
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FileStore } from './history';

export function createFileStore(dir: string): FileStore {
  let made: Promise<unknown> | null = null;
  let n = 0;
  return {
    async read(name) {
      try {
        return await readFile(join(dir, name), 'utf8');
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async write(name, text) {
      made ??= mkdir(dir, { recursive: true });
      await made;
      const tmp = join(dir, `.${name}.${process.pid}.${++n}.tmp`);
      await writeFile(tmp, text, { mode: 0o600 });
      await rename(tmp, join(dir, name));
    },
  };
}

/** For tests and for running without a data dir. */
export function memoryFileStore(): FileStore & { files: Map<string, string> } {
  const files = new Map<string, string>();
  return {
    files,
    read: async (name) => files.get(name) ?? null,
    write: async (name, text) => void files.set(name, text),
  };
}
