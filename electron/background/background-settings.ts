/**
 * The app domain's background methods (issue 16): close to tray and start at login. The login item is
 * a port — Electron's on Windows/macOS (main/login-item.ts), an XDG autostart entry on Linux
 * (xdg-autostart.ts) — so this stays plain Node; web mode has neither and says so.
 */
import { ContractError } from '../../shared/contract/result';
import type { BackgroundInfo } from '../../shared/domains/app';
import type { BackgroundPrefs } from './prefs';

export interface LoginItemPort {
  via: 'login-item' | 'xdg-autostart';
  /** Whether PortPilot starts at login now, and where people see or change that. */
  state(): Promise<{ enabled: boolean; detail: string }>;
  setEnabled(enabled: boolean): Promise<void>;
}

export interface BackgroundSettings {
  info(): Promise<BackgroundInfo>;
  set(patch: { closeToTray?: boolean; startAtLogin?: boolean }): Promise<BackgroundInfo>;
}

export const WEB_MODE_BACKGROUND: BackgroundInfo = {
  mode: 'none',
  closeToTray: false,
  startAtLogin: {
    supported: false,
    enabled: false,
    via: null,
    detail: 'Web mode watches only while “npm run serve” runs: the tray and start at login belong to the desktop app.',
  },
};

/** Web mode: nothing runs in the background; every change is refused with the reason. */
export const webModeBackground: BackgroundSettings = {
  info: async () => WEB_MODE_BACKGROUND,
  async set() {
    throw new ContractError('unsupported', 'Web mode has no tray and cannot start at login: use the desktop app.');
  },
};

export function desktopBackground(prefs: BackgroundPrefs, loginItem: LoginItemPort): BackgroundSettings {
  async function info(): Promise<BackgroundInfo> {
    await prefs.loaded;
    const login = await loginItem.state().catch((err: unknown) => ({
      enabled: false,
      detail: `Could not read the start-at-login setting: ${err instanceof Error ? err.message : String(err)}`,
    }));
    return {
      mode: 'tray',
      closeToTray: prefs.value.closeToTray,
      startAtLogin: { supported: true, enabled: login.enabled, via: loginItem.via, detail: login.detail },
    };
  }
  return {
    info,
    async set({ closeToTray, startAtLogin }) {
      if (closeToTray !== undefined) await prefs.save({ closeToTray });
      if (startAtLogin !== undefined) {
        try {
          await loginItem.setEnabled(startAtLogin);
        } catch (err) {
          const why = err instanceof Error ? err.message : String(err);
          throw new ContractError(
            'failed',
            `Could not turn ${startAtLogin ? 'on' : 'off'} start at login: ${why}. Check that your user may change its startup programs, then try again.`,
          );
        }
      }
      return info();
    },
  };
}
