import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { autostartPath, readAutostartEntry, removeAutostartEntry, writeAutostartEntry } from './autostart';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-autostart-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the XDG autostart entry', () => {
  it('lives in $XDG_CONFIG_HOME/autostart, or ~/.config/autostart when that is unset, empty or relative', () => {
    expect(autostartPath({ XDG_CONFIG_HOME: '/x/cfg' }, '/home/u')).toBe(
      join('/x/cfg', 'autostart', 'portpilot.desktop'),
    );
    for (const value of [undefined, '', 'relative/cfg']) {
      expect(autostartPath({ XDG_CONFIG_HOME: value }, '/home/u')).toBe(
        join('/home/u', '.config', 'autostart', 'portpilot.desktop'),
      );
    }
  });

  it('is written atomically (creating the autostart dir), read back and removed; a missing one reads as null', async () => {
    const file = autostartPath({ XDG_CONFIG_HOME: dir }, '/nowhere');
    expect(await readAutostartEntry(file)).toBeNull();
    await writeAutostartEntry(file, '[Desktop Entry]\n');
    expect(await readAutostartEntry(file)).toBe('[Desktop Entry]\n');
    expect(await readdir(join(dir, 'autostart'))).toEqual(['portpilot.desktop']);
    if (process.platform !== 'win32') expect((await stat(file)).mode & 0o777).toBe(0o644);
    await removeAutostartEntry(file);
    await removeAutostartEntry(file);
    expect(await readAutostartEntry(file)).toBeNull();
  });
});
