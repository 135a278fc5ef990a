/**
 * Start at login, per OS, as values (issue 16). Windows and macOS register a login item through
 * Electron (`app.setLoginItemSettings`); Linux has none, so PortPilot writes an XDG autostart entry
 * (XDG Autostart Specification 0.5). Either way it starts hidden in the tray: Windows and Linux pass
 * HIDDEN_FLAG; macOS cannot pass arguments to a login item, and `openAsHidden` is ignored from macOS 13
 * on, so there the app asks `wasOpenedAtLogin` instead. Pure: main applies the result.
 */

export const HIDDEN_FLAG = '--hidden';

export interface LaunchContext {
  platform: NodeJS.Platform;
  /** process.execPath. */
  execPath: string;
  /** The app directory when not packaged (`electron .`): it must follow the binary on the command line. */
  appPath: string | null;
  /**
   * $APPIMAGE: the .AppImage file itself. process.execPath points into the image's mount, whose path
   * changes on every run (/tmp/.mount_PortPiXXXXXX), so the entry must name the file instead.
   */
  appImage: string | null;
}

export interface LaunchCommand {
  program: string;
  args: string[];
}

export function launchCommand(ctx: LaunchContext): LaunchCommand {
  return {
    program: ctx.appImage ?? ctx.execPath,
    args: [...(ctx.appPath ? [ctx.appPath] : []), HIDDEN_FLAG],
  };
}

/** The subset of Electron's `Settings` / `LoginItemSettingsOptions` PortPilot sets. */
export interface LoginItemSettings {
  openAtLogin: boolean;
  openAsHidden?: boolean;
  path?: string;
  args?: string[];
}

/**
 * What to hand to `app.setLoginItemSettings` (Windows, macOS). On Windows, getLoginItemSettings must be
 * asked with the same path and args (Electron docs), so `query` carries them.
 */
export function loginItemSettings(
  ctx: LaunchContext,
  enabled: boolean,
): { set: LoginItemSettings; query: { path?: string; args?: string[] } } {
  if (ctx.platform === 'win32') {
    const { program, args } = launchCommand(ctx);
    // Electron writes the Run key as `"path" args…` and asks callers to quote arguments themselves.
    const quoted = args.map((a) => (/[\s"]/.test(a) ? `"${a.replace(/"/g, '\\"')}"` : a));
    return { set: { openAtLogin: enabled, path: program, args: quoted }, query: { path: program, args: quoted } };
  }
  // macOS: openAsHidden is honoured up to macOS 12; later versions start the app normally and
  // `wasOpenedAtLogin` tells it to stay hidden (startedHidden below).
  return { set: { openAtLogin: enabled, openAsHidden: true }, query: {} };
}

export function startedHidden(p: {
  platform: NodeJS.Platform;
  argv: readonly string[];
  wasOpenedAtLogin: boolean;
}): boolean {
  if (p.argv.includes(HIDDEN_FLAG)) return true;
  return p.platform === 'darwin' && p.wasOpenedAtLogin;
}

/* ---- XDG autostart (Linux) ---- */

/** Desktop Entry Specification 1.5, "The Exec key": characters that force an argument into quotes. */
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;

/**
 * One Exec argument. Inside double quotes, `"` `` ` `` `$` `\` take a backslash; `%` is a field code
 * and is written `%%`. The string escape of the whole value (a backslash as `\\`) is applied after
 * that, which is why a backslash in a quoted path ends up as four.
 */
export function execArgument(arg: string): string {
  if (/[\n\r\t\0]/.test(arg)) throw new Error('A path with a line break or tab cannot go in an autostart entry.');
  const fieldSafe = arg.replace(/%/g, '%%');
  if (arg !== '' && !RESERVED.test(arg)) return fieldSafe;
  return `"${fieldSafe.replace(/["`$\\]/g, (c) => `\\${c}`)}"`;
}

/** Desktop Entry Specification 1.5, "Possible value types": the string escapes. */
function escapeString(value: string): string {
  return value.replace(/\\/g, '\\\\');
}

export function desktopEntry(ctx: LaunchContext): string {
  const { program, args } = launchCommand(ctx);
  const exec = [program, ...args].map(execArgument).join(' ');
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.0',
    'Name=PortPilot',
    'Comment=Watch the port mappings of your router from the tray',
    `Exec=${escapeString(exec)}`,
    // The entry is skipped (not an error dialog at every login) once the program is gone.
    `TryExec=${escapeString(program)}`,
    'Icon=portpilot',
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

/**
 * Whether an existing entry still starts PortPilot: desktops switch an entry off by setting
 * `Hidden=true` (the specification) or `X-GNOME-Autostart-enabled=false` (GNOME) instead of deleting it.
 */
export function entryEnabled(text: string | null): boolean {
  if (text === null) return false;
  let inEntry = false;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (line.startsWith('[')) inEntry = line === '[Desktop Entry]';
    else if (inEntry && /^Hidden\s*=\s*true$/i.test(line)) return false;
    else if (inEntry && /^X-GNOME-Autostart-enabled\s*=\s*false$/i.test(line)) return false;
  }
  return true;
}
