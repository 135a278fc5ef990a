/** Start at login on Linux: the XDG autostart entry (login-item.ts decides its text, storage/ writes it). */
import { readAutostartEntry, removeAutostartEntry, writeAutostartEntry } from '../storage';
import type { LoginItemPort } from './background-settings';
import { desktopEntry, entryEnabled, type LaunchContext } from './login-item';

export function xdgAutostart(ctx: LaunchContext, file: string): LoginItemPort {
  return {
    via: 'xdg-autostart',
    async state() {
      const text = await readAutostartEntry(file);
      const enabled = entryEnabled(text);
      const detail = enabled
        ? `Started by the autostart entry ${file}.`
        : text !== null
          ? `${file} exists but your desktop has switched it off; turning this on replaces it.`
          : `Turning this on writes the autostart entry ${file}.`;
      return { enabled, detail };
    },
    async setEnabled(enabled) {
      if (enabled) await writeAutostartEntry(file, desktopEntry(ctx));
      else await removeAutostartEntry(file);
    },
  };
}
