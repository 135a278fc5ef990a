/** Files in the app's data dir, written atomically. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../storage';
import type { FileStore } from './history';

export function createFileStore(dir: string): FileStore {
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
      await writeFileAtomic(join(dir, name), text);
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
