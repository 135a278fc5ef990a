import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createFileStore } from './file-store';

let dir: string;
beforeEach(async () => {
  dir = join(await mkdtemp(join(tmpdir(), 'pp-files-')), 'not-yet');
});
afterEach(async () => {
  await rm(join(dir, '..'), { recursive: true, force: true });
});

describe('createFileStore', () => {
  it('reads null for a file never written, creating nothing', async () => {
    expect(await createFileStore(dir).read('h.json')).toBeNull();
  });

  it('writes into a directory it creates, owner-only, and reads back the last write', async () => {
    const files = createFileStore(dir);
    await files.write('h.json', '{"v":1}');
    await files.write('h.json', '{"v":2}');
    expect(await files.read('h.json')).toBe('{"v":2}');
    expect(await readdir(dir)).toEqual(['h.json']);
    if (process.platform !== 'win32') expect((await stat(join(dir, 'h.json'))).mode & 0o777).toBe(0o600);
  });

  it('reports a read that fails for another reason than a missing file', async () => {
    const files = createFileStore(dir);
    await files.write('h.json', '1');
    await expect(createFileStore(join(dir, 'h.json')).read('x')).rejects.toThrow();
  });
});
