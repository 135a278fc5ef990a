import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ContractError } from '../../shared/contract/result';
import { memoryFileStore } from '../mappings/file-store';
import { autostartPath, readAutostartEntry, writeAutostartEntry } from '../storage';
import { desktopBackground, webModeBackground, type LoginItemPort } from './background-settings';
import { BackgroundPrefs, DEFAULT_PREFS } from './prefs';
import { whenAllWindowsClosed } from './window-policy';
import { xdgAutostart } from './xdg-autostart';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'pp-background-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

const linux = { platform: 'linux' as const, execPath: '/opt/PortPilot/portpilot', appPath: null, appImage: null };

describe('background settings (app domain)', () => {
  it('web mode: no tray, no start at login, and it says why', async () => {
    expect(await webModeBackground.info()).toMatchObject({ mode: 'none', startAtLogin: { supported: false } });
    await expect(webModeBackground.set({ startAtLogin: true })).rejects.toMatchObject({ code: 'unsupported' });
  });

  it('desktop: off by default; turning start at login on writes the Linux autostart entry, off removes it', async () => {
    const file = autostartPath({ XDG_CONFIG_HOME: dir });
    const files = memoryFileStore();
    const bg = desktopBackground(new BackgroundPrefs(files, () => {}), xdgAutostart(linux, file));
    expect(await bg.info()).toEqual({
      mode: 'tray',
      closeToTray: true,
      startAtLogin: { supported: true, enabled: false, via: 'xdg-autostart', detail: expect.stringContaining(file) },
    });
    expect((await bg.set({ startAtLogin: true })).startAtLogin.enabled).toBe(true);
    expect(await readAutostartEntry(file)).toContain('Exec=/opt/PortPilot/portpilot --hidden');
    expect((await bg.set({ startAtLogin: false, closeToTray: false })).startAtLogin.enabled).toBe(false);
    expect(await readAutostartEntry(file)).toBeNull();
    expect(JSON.parse(files.files.get('background.json')!)).toEqual({ ...DEFAULT_PREFS, closeToTray: false });
  });

  it('an entry the desktop switched off reads as off, with the reason', async () => {
    const file = autostartPath({ XDG_CONFIG_HOME: dir });
    const port = xdgAutostart(linux, file);
    await port.setEnabled(true);
    await writeAutostartEntry(file, `${await readAutostartEntry(file)}Hidden=true\n`);
    expect(await port.state()).toMatchObject({ enabled: false, detail: expect.stringMatching(/switched it off/) });
  });

  it('a login item that cannot be changed fails with what to do', async () => {
    const broken: LoginItemPort = {
      via: 'login-item',
      state: async () => ({ enabled: false, detail: '' }),
      setEnabled: async () => {
        throw new Error('access denied');
      },
    };
    const bg = desktopBackground(new BackgroundPrefs(memoryFileStore(), () => {}), broken);
    const err = await bg.set({ startAtLogin: true }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ContractError);
    expect(err).toMatchObject({ code: 'failed', message: expect.stringMatching(/access denied\. Check that/) });
  });

  it('prefs survive a restart and a broken file falls back to the defaults', async () => {
    const files = memoryFileStore();
    await new BackgroundPrefs(files, () => {}).save({ trayHintShown: true });
    const again = new BackgroundPrefs(files, () => {});
    await again.loaded;
    expect(again.value).toEqual({ closeToTray: true, trayHintShown: true });
    files.files.set('background.json', '{"closeToTray": "yes"}');
    const logged: string[] = [];
    const broken = new BackgroundPrefs(files, (l) => logged.push(l));
    await broken.loaded;
    expect(broken.value).toEqual(DEFAULT_PREFS);
    expect(logged[0]).toMatch(/using defaults/);
  });
});

describe('closing the window', () => {
  it('keeps watching in the tray; Quit quits; macOS keeps the app open without windows', () => {
    expect(whenAllWindowsClosed({ platform: 'win32', quitting: false, closeToTray: true })).toBe('keep-watching');
    expect(whenAllWindowsClosed({ platform: 'linux', quitting: true, closeToTray: true })).toBe('quit');
    expect(whenAllWindowsClosed({ platform: 'linux', quitting: false, closeToTray: false })).toBe('quit');
    expect(whenAllWindowsClosed({ platform: 'darwin', quitting: false, closeToTray: false })).toBe('keep-watching');
    expect(whenAllWindowsClosed({ platform: 'darwin', quitting: true, closeToTray: true })).toBe('quit');
  });
});
