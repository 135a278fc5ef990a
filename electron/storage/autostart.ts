/**
 * The one file PortPilot keeps outside its config dir on purpose: the XDG autostart entry that starts
 * it at login on Linux (XDG Autostart Specification 0.5: `$XDG_CONFIG_HOME/autostart/<name>.desktop`,
 * with `$XDG_CONFIG_HOME` defaulting to `~/.config` and ignored unless absolute — XDG Base Directory
 * Specification 0.8). Written with the same atomic write as every data file; the content comes from
 * background/login-item.ts.
 */
import { readFile, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { writeFileAtomic } from './atomic-write';
import { AUTOSTART_FILE } from './data-files';

export function autostartPath(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const configHome = env['XDG_CONFIG_HOME'];
  const base = configHome && isAbsolute(configHome) ? configHome : join(home, '.config');
  return join(base, 'autostart', AUTOSTART_FILE);
}

/** The entry's text, or null when there is none. */
export async function readAutostartEntry(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** 0644 like the entries desktop environments write themselves: it holds no secret. */
export function writeAutostartEntry(path: string, text: string): Promise<void> {
  return writeFileAtomic(path, text, { mode: 0o644 });
}

export async function removeAutostartEntry(path: string): Promise<void> {
  await rm(path, { force: true });
}
