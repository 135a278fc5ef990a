/**
 * What closing PortPilot's window means (issue 16). Closing keeps it watching in the tray; Quit (tray
 * menu, app menu, ⌘Q) quits. The window itself is destroyed, not hidden: a destroyed renderer costs no
 * CPU and frees its memory, where a hidden one would keep applying every delta and running its timers
 * for nobody — the price is a fresh snapshot when it is opened again.
 */

export type AllWindowsClosed = 'quit' | 'keep-watching';

export function whenAllWindowsClosed(p: {
  platform: NodeJS.Platform;
  /** Quit was asked for (before-quit fired). */
  quitting: boolean;
  closeToTray: boolean;
}): AllWindowsClosed {
  if (p.quitting) return 'quit';
  // macOS: an app stays open without windows until it is quit (Human Interface Guidelines).
  if (p.platform === 'darwin') return 'keep-watching';
  return p.closeToTray ? 'keep-watching' : 'quit';
}

export const TRAY_HINT = {
  title: 'PortPilot is still watching',
  body: 'It keeps an eye on your router’s port mappings from the tray and tells you about new ones. To stop it, choose Quit PortPilot in the tray menu.',
};
