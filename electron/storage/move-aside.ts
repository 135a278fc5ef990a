/**
 * Keeps a data file that cannot be read for the user instead of overwriting it: renames it beside
 * itself as `<name>.unreadable-<timestamp>`. Not an atomic write (nothing new is written); it lives
 * here so that storage/ stays the only place that renames files.
 */
import { rename } from 'node:fs/promises';

/** Returns the path the file now has. */
export async function moveAside(path: string, now: Date): Promise<string> {
  // ':' and '.' of an ISO time are not allowed (or confusing) in Windows file names.
  const aside = `${path}.unreadable-${now.toISOString().replace(/[:.]/g, '-')}`;
  await rename(path, aside);
  return aside;
}
