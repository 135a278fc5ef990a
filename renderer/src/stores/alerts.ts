import { defineStore } from 'pinia';
import { ref, shallowRef } from 'vue';
import type { BackgroundInfo, OpenRequest } from '../../../shared/domains/app';
import type { NoticePayload } from '../../../shared/domains/alerts';
import { connectApi } from '../api';
import { browserAlertState, type BrowserAlertState } from '../composables/browser-alerts';
import { useSubscriptions } from '../composables/subscriptions';

/**
 * Alerts and background watch in the renderer (issue 16): the mappings service's notices (already
 * filtered, grouped and rate limited in main), main's "open this screen" requests, the tray and
 * start-at-login settings, and whether this browser tab may show notifications (web mode).
 */
export const useAlertsStore = defineStore('alerts', () => {
  const life = useSubscriptions();
  const latest = shallowRef<NoticePayload | null>(null);
  const openRequest = shallowRef<OpenRequest | null>(null);
  const background = ref<BackgroundInfo | null>(null);
  const error = ref<string | null>(null);
  const browser = ref<BrowserAlertState>(currentBrowserState());

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    const { api } = connectApi();
    life.keep(api.mappings.onNotice((n) => (latest.value = n)));
    life.keep(api.app.onOpen((r) => (openRequest.value = r)));
    void loadBackground();
  }

  async function loadBackground(): Promise<void> {
    const r = await connectApi().api.app.background();
    if (r.ok) background.value = r.value;
  }

  async function setBackground(patch: { closeToTray?: boolean; startAtLogin?: boolean }): Promise<void> {
    const r = await connectApi().api.app.setBackground(patch);
    error.value = r.ok ? null : r.error.message;
    if (r.ok) background.value = r.value;
    else await loadBackground();
  }

  /** Must run from a click (browsers ignore a permission request without a user gesture). */
  async function allowBrowserNotifications(): Promise<void> {
    if (browser.value !== 'default' || typeof Notification === 'undefined') return;
    await Notification.requestPermission();
    browser.value = currentBrowserState();
  }

  return { latest, openRequest, background, error, browser, start, setBackground, allowBrowserNotifications };
});

function currentBrowserState(): BrowserAlertState {
  return browserAlertState({
    transport: connectApi().transport,
    Notification: typeof Notification === 'undefined' ? undefined : Notification,
    secure: window.isSecureContext,
  });
}
