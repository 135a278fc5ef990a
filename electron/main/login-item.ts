import type { App } from 'electron';
import type { LoginItemPort } from '../background/background-settings';
import { loginItemSettings, type LaunchContext } from '../background/login-item';

type LoginItemApp = Pick<App, 'getLoginItemSettings' | 'setLoginItemSettings'>;

/** Start at login on Windows and macOS: Electron's login item (background/login-item.ts decides the values). */
export function electronLoginItem(app: LoginItemApp, ctx: LaunchContext): LoginItemPort {
  return {
    via: 'login-item',
    async state() {
      const s = app.getLoginItemSettings(loginItemSettings(ctx, true).query);
      if (ctx.platform === 'darwin') {
        const waiting = s.status === 'requires-approval';
        return {
          enabled: s.openAtLogin && !waiting,
          detail: waiting
            ? 'macOS is waiting for your approval: System Settings → General → Login Items.'
            : 'macOS lists it in System Settings → General → Login Items.',
        };
      }
      // Switched off in Task Manager: the Run key stays, its "startup approved" entry says disabled.
      const switchedOff = s.openAtLogin && !s.executableWillLaunchAtLogin;
      return {
        enabled: s.openAtLogin && !switchedOff,
        detail: switchedOff
          ? 'Switched off in Task Manager → Startup apps; turning it on here switches it back on.'
          : 'Windows lists it in Task Manager → Startup apps.',
      };
    },
    async setEnabled(enabled) {
      app.setLoginItemSettings(loginItemSettings(ctx, enabled).set);
    },
  };
}

/** How this process was started, for the login item to start it the same way. */
export function launchContext(
  app: Pick<App, 'isPackaged' | 'getAppPath'>,
  proc: Pick<NodeJS.Process, 'platform' | 'execPath' | 'env'>,
): LaunchContext {
  const appImage = proc.platform === 'linux' && app.isPackaged ? (proc.env['APPIMAGE'] ?? null) : null;
  return {
    platform: proc.platform,
    execPath: proc.execPath,
    appPath: app.isPackaged ? null : app.getAppPath(),
    appImage,
  };
}
