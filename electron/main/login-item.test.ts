import { describe, expect, it } from 'vitest';
import type { LoginItemSettings, LoginItemSettingsOptions, Settings } from 'electron';
import { HIDDEN_FLAG } from '../background/login-item';
import { electronLoginItem, launchContext } from './login-item';

/** app.getLoginItemSettings / setLoginItemSettings, recorded (the Electron runtime is not available). */
function fakeApp(answer: Partial<LoginItemSettings>) {
  const set: Settings[] = [];
  const asked: Array<LoginItemSettingsOptions | undefined> = [];
  const app = {
    setLoginItemSettings: (s: Settings) => void set.push(s),
    getLoginItemSettings: (o?: LoginItemSettingsOptions) => (asked.push(o), answer as LoginItemSettings),
  };
  return { app, set, asked };
}

describe('login item settings per OS (electron mocked)', () => {
  it('Windows: registers the executable with --hidden and reads it back with the same path and args', async () => {
    const f = fakeApp({ openAtLogin: true, executableWillLaunchAtLogin: true });
    const ctx = { platform: 'win32' as const, execPath: 'C:\\PortPilot\\PortPilot.exe', appPath: null, appImage: null };
    const item = electronLoginItem(f.app, ctx);
    await item.setEnabled(true);
    await item.setEnabled(false);
    expect(f.set).toEqual([
      { openAtLogin: true, path: ctx.execPath, args: [HIDDEN_FLAG] },
      { openAtLogin: false, path: ctx.execPath, args: [HIDDEN_FLAG] },
    ]);
    expect(await item.state()).toEqual({ enabled: true, detail: 'Windows lists it in Task Manager → Startup apps.' });
    expect(f.asked).toEqual([{ path: ctx.execPath, args: [HIDDEN_FLAG] }]);
  });

  it('Windows: switched off in Task Manager reads as off', async () => {
    const f = fakeApp({ openAtLogin: true, executableWillLaunchAtLogin: false });
    const item = electronLoginItem(f.app, { platform: 'win32', execPath: 'C:\\p.exe', appPath: null, appImage: null });
    expect(await item.state()).toMatchObject({ enabled: false, detail: expect.stringMatching(/Task Manager/) });
  });

  it('macOS: a login item opened as hidden; waiting for approval reads as off with where to approve', async () => {
    const f = fakeApp({ openAtLogin: true, status: 'enabled' });
    const ctx = {
      platform: 'darwin' as const,
      execPath: '/Applications/PortPilot.app/x',
      appPath: null,
      appImage: null,
    };
    const item = electronLoginItem(f.app, ctx);
    await item.setEnabled(true);
    expect(f.set).toEqual([{ openAtLogin: true, openAsHidden: true }]);
    expect(await item.state()).toMatchObject({ enabled: true, detail: expect.stringMatching(/Login Items/) });
    const waiting = electronLoginItem(fakeApp({ openAtLogin: true, status: 'requires-approval' }).app, ctx);
    expect(await waiting.state()).toMatchObject({ enabled: false, detail: expect.stringMatching(/approval/) });
  });

  it('knows how this process was started: the AppImage file on Linux, the app folder when not packaged', () => {
    const env = { APPIMAGE: '/home/a/PortPilot.AppImage' };
    const packagedApp = { isPackaged: true, getAppPath: () => '/tmp/.mount_x/resources/app.asar' };
    expect(launchContext(packagedApp, { platform: 'linux', execPath: '/tmp/.mount_x/portpilot', env })).toEqual({
      platform: 'linux',
      execPath: '/tmp/.mount_x/portpilot',
      appPath: null,
      appImage: '/home/a/PortPilot.AppImage',
    });
    expect(launchContext(packagedApp, { platform: 'win32', execPath: 'C:\\p.exe', env }).appImage).toBeNull();
    const dev = { isPackaged: false, getAppPath: () => '/src/portpilot' };
    expect(launchContext(dev, { platform: 'linux', execPath: '/x/electron', env })).toMatchObject({
      appPath: '/src/portpilot',
      appImage: null,
    });
  });
});
