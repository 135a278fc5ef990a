import { onScopeDispose } from 'vue';
import { WATCH_LEASE_MS } from '../../../shared/domains/mappings';

/**
 * Tells main whether a screen is on screen, so it can pace its router reads (issue 14; the contract's
 * `mappings.watch`): on while the owning component lives and the page is visible, renewed at half the
 * lease, off when the component goes or the page is hidden (window minimised or closed to the tray, tab
 * in the background). A window that is closed or crashed sends nothing and its lease runs out, so the
 * tray / background mode never pays for a screen nobody sees.
 */
export function useScreenWatch(send: (visible: boolean) => void, doc: Document = document): void {
  const visible = () => doc.visibilityState === 'visible';
  const report = () => send(visible());
  const renew = setInterval(() => visible() && send(true), WATCH_LEASE_MS / 2);
  doc.addEventListener('visibilitychange', report);
  report();
  onScopeDispose(() => {
    clearInterval(renew);
    doc.removeEventListener('visibilitychange', report);
    send(false);
  });
}
