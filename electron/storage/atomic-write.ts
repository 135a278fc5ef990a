/**
 * The one atomic file replacement of the app (issue 17: it used to be written five times). Write a
 * temporary file in the same directory, fsync it, rename it over the target (rename(2) is atomic within
 * a file system, POSIX.1-2017 rename()), then fsync the directory so the rename itself survives a power
 * cut. A crash leaves either the old or the new file, never a torn one; a failed write leaves the old
 * file and no temporary file behind.
 */
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, open, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** The whole content, or chunks produced while the file is written (a producer that throws aborts it). */
export type AtomicWriteData = string | Uint8Array | AsyncIterable<string | Uint8Array>;

export interface AtomicWriteOptions {
  /** Permission bits of the file, set exactly (not reduced by the umask). Default 0600: owner only. */
  mode?: number;
}

export async function writeFileAtomic(
  path: string,
  data: AtomicWriteData,
  { mode = 0o600 }: AtomicWriteOptions = {},
): Promise<void> {
  const dir = dirname(path);
  // 0700: the config dir holds passwords (encrypted) and router details; only new directories get it.
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const tmp = tempName(path);
  try {
    await writeAndSync(tmp, data, mode);
    // The mode given to open() is reduced by the umask; set it exactly.
    await chmod(tmp, mode);
    await rename(tmp, path);
  } catch (err) {
    await rm(tmp, { force: true });
    throw err;
  }
  await syncDir(dir);
}

/**
 * A new name in the target's directory (rename is only atomic within one file system): hidden, with the
 * target's name for whoever finds one left by a crash, bounded so a long target name stays under NAME_MAX.
 */
function tempName(path: string): string {
  return join(dirname(path), `.${basename(path).slice(0, 64)}.${randomBytes(6).toString('hex')}.tmp`);
}

async function writeAndSync(tmp: string, data: AtomicWriteData, mode: number): Promise<void> {
  // 'wx': never follow or reuse something already at the temporary name.
  const handle = await open(tmp, 'wx', mode);
  try {
    await writeFile(handle, data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function syncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is still atomic there.
  }
}
