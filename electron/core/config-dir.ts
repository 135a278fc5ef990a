import { homedir } from 'node:os';
import path from 'node:path';

/**
 * Where web mode and the CLI keep profiles, secrets and history when Electron's userData is not
 * available: PORTPILOT_CONFIG_DIR if set, else the platform's per-user config folder (the same place
 * Electron's userData uses for an app named PortPilot).
 */
export function defaultConfigDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env['PORTPILOT_CONFIG_DIR']) return path.resolve(env['PORTPILOT_CONFIG_DIR']);
  if (platform === 'win32') return path.join(env['APPDATA'] ?? path.join(homedir(), 'AppData', 'Roaming'), 'PortPilot');
  if (platform === 'darwin') return path.join(homedir(), 'Library', 'Application Support', 'PortPilot');
  return path.join(env['XDG_CONFIG_HOME'] ?? path.join(homedir(), '.config'), 'PortPilot');
}
