/**
 * RouterOS names only the first path element it does not know: `/ip/upnp/permissions/print` on
 * RouterOS 7 answers `no such command or directory (permissions)`, `/ip/adress/print` answers
 * `(adress)` (routeros-facts.md, "Unknown command"; librouteros api_analysis.rst transcripts).
 */
import { UnknownCommandError } from '../api-device';

/**
 * The first element of `path` (then `verb`) that is neither a menu nor a directory above one.
 * `menus` are full paths (`/ip/firewall/nat`); their prefixes (`/ip`, `/ip/firewall`) are directories.
 */
export function firstUnknown(menus: Iterable<string>, path: string, verb?: string): string {
  const known = new Set<string>();
  for (const menu of menus) {
    const parts = menu.split('/').filter(Boolean);
    for (let i = 1; i <= parts.length; i++) known.add(`/${parts.slice(0, i).join('/')}`);
  }
  let prefix = '';
  for (const element of path.split('/').filter(Boolean)) {
    prefix += `/${element}`;
    if (!known.has(prefix)) return element;
  }
  return verb ?? prefix.split('/').pop() ?? path;
}

export function unknownCommand(menus: Iterable<string>, path: string, verb?: string): UnknownCommandError {
  return new UnknownCommandError(firstUnknown(menus, path, verb));
}
