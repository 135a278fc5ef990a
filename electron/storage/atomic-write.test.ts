import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { writeFileAtomic } from './atomic-write';
import { moveAside } from './move-aside';

const posix = process.platform !== 'win32';
const root = typeof process.getuid === 'function' && process.getuid() === 0;

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-storage-'));
});
afterEach(async () => {
  await chmod(dir, 0o700).catch(() => {});
  await rm(dir, { recursive: true, force: true });
});

async function* producer(chunks: string[], failAfter: number): AsyncIterable<string> {
  for (const [i, chunk] of chunks.entries()) {
    if (i === failAfter) throw new Error('producer failed');
    yield chunk;
  }
}

describe('writeFileAtomic', () => {
  it('writes the file and leaves nothing else in the directory', async () => {
    const file = join(dir, 'a.json');
    await writeFileAtomic(file, '{"a":1}');
    expect(await readFile(file, 'utf8')).toBe('{"a":1}');
    expect(await readdir(dir)).toEqual(['a.json']);
  });

  it.runIf(posix)('gives the file mode 0600 by default, whatever the umask', async () => {
    const old = process.umask(0o000);
    try {
      await writeFileAtomic(join(dir, 'secret'), 'x');
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'secret'))).mode & 0o777).toBe(0o600);
  });

  it.runIf(posix)('sets a requested mode exactly although the umask would reduce it', async () => {
    const old = process.umask(0o077);
    try {
      await writeFileAtomic(join(dir, 'cert.pem'), 'x', { mode: 0o644 });
    } finally {
      process.umask(old);
    }
    expect((await stat(join(dir, 'cert.pem'))).mode & 0o777).toBe(0o644);
  });

  it('replaces an existing file, from a string, bytes or produced chunks', async () => {
    const file = join(dir, 'f');
    await writeFileAtomic(file, 'old');
    await writeFileAtomic(file, Buffer.from([0x6e, 0x65, 0x77]));
    expect(await readFile(file, 'utf8')).toBe('new');
    await writeFileAtomic(file, producer(['a', 'b', 'c'], -1));
    expect(await readFile(file, 'utf8')).toBe('abc');
    expect(await readdir(dir)).toEqual(['f']);
  });

  it.runIf(posix)('creates missing parent directories, owner-only', async () => {
    const file = join(dir, 'x', 'y', 'f.json');
    await writeFileAtomic(file, '1');
    expect(await readFile(file, 'utf8')).toBe('1');
    expect((await stat(join(dir, 'x', 'y'))).mode & 0o777).toBe(0o700);
  });

  it('keeps the old content and leaves no temporary file when the data producer throws midway', async () => {
    const file = join(dir, 'f.json');
    await writeFileAtomic(file, 'old content');
    await expect(writeFileAtomic(file, producer(['new ', 'half '], 1))).rejects.toThrow('producer failed');
    expect(await readFile(file, 'utf8')).toBe('old content');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('leaves no temporary file when the rename fails (the target is a directory)', async () => {
    const target = join(dir, 'taken');
    await mkdir(target);
    await writeFile(join(target, 'inside'), 'keep');
    await expect(writeFileAtomic(target, 'x')).rejects.toThrow();
    expect(await readdir(dir)).toEqual(['taken']);
    expect(await readFile(join(target, 'inside'), 'utf8')).toBe('keep');
  });

  it('fails when the parent path is a file, and leaves that file alone', async () => {
    await writeFile(join(dir, 'plain'), 'keep');
    await expect(writeFileAtomic(join(dir, 'plain', 'f'), 'x')).rejects.toThrow();
    expect(await readFile(join(dir, 'plain'), 'utf8')).toBe('keep');
  });

  // root ignores directory permissions, so this one can only run as another user.
  it.runIf(posix && !root)('keeps the old content when the directory is read-only', async () => {
    const file = join(dir, 'f.json');
    await writeFileAtomic(file, 'old');
    await chmod(dir, 0o500);
    await expect(writeFileAtomic(file, 'new')).rejects.toThrow();
    await chmod(dir, 0o700);
    expect(await readFile(file, 'utf8')).toBe('old');
    expect(await readdir(dir)).toEqual(['f.json']);
  });

  it('serves concurrent writers: the file holds one whole version and no temporary file is left', async () => {
    const file = join(dir, 'f');
    const versions = Array.from({ length: 20 }, (_, i) => `version ${i} `.repeat(500));
    await Promise.all(versions.map((v) => writeFileAtomic(file, v)));
    expect(versions).toContain(await readFile(file, 'utf8'));
    expect(await readdir(dir)).toEqual(['f']);
  });

  it('writes a target whose name is as long as a file system allows (the temporary name is bounded)', async () => {
    const file = join(dir, 'n'.repeat(255));
    await writeFileAtomic(file, 'x');
    expect(await readFile(file, 'utf8')).toBe('x');
  });
});

describe('moveAside', () => {
  it('renames the file beside itself with a timestamp and returns the new path', async () => {
    const file = join(dir, 'profiles.json');
    await writeFile(file, 'garbage');
    const aside = await moveAside(file, new Date('2024-05-06T07:08:09.010Z'));
    expect(aside).toBe(`${file}.unreadable-2024-05-06T07-08-09-010Z`);
    expect(await readdir(dir)).toEqual(['profiles.json.unreadable-2024-05-06T07-08-09-010Z']);
    expect(await readFile(aside, 'utf8')).toBe('garbage');
  });
});
