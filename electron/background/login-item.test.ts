import { describe, expect, it } from 'vitest';
import {
  desktopEntry,
  entryEnabled,
  execArgument,
  HIDDEN_FLAG,
  launchCommand,
  loginItemSettings,
  startedHidden,
  type LaunchContext,
} from './login-item';

const packaged = (platform: NodeJS.Platform, execPath: string): LaunchContext => ({
  platform,
  execPath,
  appPath: null,
  appImage: null,
});

describe('login item settings per OS', () => {
  it('Windows: the executable with --hidden, asked back with the same path and args', () => {
    const r = loginItemSettings(packaged('win32', 'C:\\Program Files\\PortPilot\\PortPilot.exe'), true);
    expect(r.set).toEqual({
      openAtLogin: true,
      path: 'C:\\Program Files\\PortPilot\\PortPilot.exe',
      args: [HIDDEN_FLAG],
    });
    expect(r.query).toEqual({ path: r.set.path, args: r.set.args });
    expect(loginItemSettings(packaged('win32', 'C:\\p.exe'), false).set.openAtLogin).toBe(false);
  });

  it('Windows, not packaged: the app folder follows electron.exe, quoted when it has spaces', () => {
    const ctx = { ...packaged('win32', 'C:\\dev\\electron.exe'), appPath: 'C:\\My Projects\\portpilot' };
    expect(loginItemSettings(ctx, true).set.args).toEqual(['"C:\\My Projects\\portpilot"', HIDDEN_FLAG]);
  });

  it('macOS: a login item opened as hidden (no path or args: macOS cannot pass them)', () => {
    const r = loginItemSettings(packaged('darwin', '/Applications/PortPilot.app/Contents/MacOS/PortPilot'), true);
    expect(r).toEqual({ set: { openAtLogin: true, openAsHidden: true }, query: {} });
  });

  it('starts hidden with --hidden (Windows, Linux) or when macOS opened it at login', () => {
    expect(startedHidden({ platform: 'win32', argv: ['PortPilot.exe', HIDDEN_FLAG], wasOpenedAtLogin: false })).toBe(
      true,
    );
    expect(startedHidden({ platform: 'linux', argv: ['portpilot'], wasOpenedAtLogin: false })).toBe(false);
    expect(startedHidden({ platform: 'darwin', argv: ['PortPilot'], wasOpenedAtLogin: true })).toBe(true);
    expect(startedHidden({ platform: 'linux', argv: ['portpilot'], wasOpenedAtLogin: true })).toBe(false);
  });
});

describe('Linux: the XDG autostart entry', () => {
  it('starts the installed binary hidden, and is skipped once the binary is gone (TryExec)', () => {
    const text = desktopEntry(packaged('linux', '/opt/PortPilot/portpilot'));
    expect(text.split('\n')).toEqual([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.0',
      'Name=PortPilot',
      'Comment=Watch the port mappings of your router from the tray',
      'Exec=/opt/PortPilot/portpilot --hidden',
      'TryExec=/opt/PortPilot/portpilot',
      'Icon=portpilot',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      '',
    ]);
    expect(entryEnabled(text)).toBe(true);
  });

  it('names the AppImage file, not its per-run mount point', () => {
    const ctx = {
      ...packaged('linux', '/tmp/.mount_PortPiAbC123/portpilot'),
      appImage: '/home/alex/Apps/PortPilot.AppImage',
    };
    expect(launchCommand(ctx)).toEqual({ program: '/home/alex/Apps/PortPilot.AppImage', args: [HIDDEN_FLAG] });
    expect(desktopEntry(ctx)).toContain('Exec=/home/alex/Apps/PortPilot.AppImage --hidden\n');
  });

  it('quotes and escapes Exec arguments as the Desktop Entry Specification says', () => {
    expect(execArgument('/opt/p')).toBe('/opt/p');
    expect(execArgument('/home/a b/p')).toBe('"/home/a b/p"');
    expect(execArgument('/x/100%/p')).toBe('/x/100%%/p');
    expect(execArgument('/x/$HOME "q" `c` \\')).toBe('"/x/\\$HOME \\"q\\" \\`c\\` \\\\"');
    expect(() => execArgument('/x\ny')).toThrow(/line break/);
    // The string escape comes on top: a backslash in a quoted path is four in the file.
    const ctx = { ...packaged('linux', '/opt/p'), appPath: '/home/a\\b c' };
    expect(desktopEntry(ctx)).toContain('Exec=/opt/p "/home/a\\\\\\\\b c" --hidden\n');
  });

  it('reads an entry switched off by the desktop (Hidden=true, X-GNOME-Autostart-enabled=false) as off', () => {
    const on = desktopEntry(packaged('linux', '/opt/p'));
    expect(entryEnabled(null)).toBe(false);
    expect(entryEnabled(`${on}Hidden=true\n`)).toBe(false);
    expect(entryEnabled(on.replace('X-GNOME-Autostart-enabled=true', 'X-GNOME-Autostart-enabled=false'))).toBe(false);
    // Only the [Desktop Entry] group counts.
    expect(entryEnabled(`${on}[Desktop Action x]\nHidden=true\n`)).toBe(true);
  });
});
