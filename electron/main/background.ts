import type { App } from 'electron';
import type { CallContext } from '../../shared/contract/define';
import type { OpenRequest } from '../../shared/domains/app';
import { HIDDEN_FLAG } from '../background/login-item';
import type { BackgroundPrefs } from '../background/prefs';
import { LoginResume } from '../background/resume';
import { TrayFeed } from '../background/tray-feed';
import type { TrayAction, TrayView } from '../background/tray-model';
import { TRAY_HINT, whenAllWindowsClosed } from '../background/window-policy';
import type { EventHub } from '../host/event-hub';
import type { MappingsClock } from '../mappings/clock';
import type { createServices } from '../services';
import type { NotifierLike } from './notifications';

type Services = ReturnType<typeof createServices>['services'];

export interface BackgroundDeps {
  app: Pick<App, 'on' | 'quit'>;
  platform: NodeJS.Platform;
  hub: EventHub;
  services: Pick<Services, 'router' | 'mappings'>;
  prefs: BackgroundPrefs;
  windows: { open(request?: OpenRequest | null): void };
  /** Builds the tray icon; it reports menu clicks through `act`. */
  tray: (act: (action: TrayAction) => void) => { render(view: TrayView): void; destroy(): void };
  notifier: NotifierLike;
  clock: Pick<MappingsClock, 'setTimeout' | 'clearTimeout'>;
  /** Started at login: no window, reconnect to the last router from the tray. */
  hidden: boolean;
  log: (line: string) => void;
}

const CTX: CallContext = { transport: 'ipc' };

/**
 * The desktop app's background watch (issue 16), wired: the tray (fed by the same events as the
 * window), what closing the window and Quit mean, the first-time hint, and the login start.
 */
export function startBackground(deps: BackgroundDeps): () => void {
  const { app, services } = deps;
  let quitting = false;
  const act = (action: TrayAction): void => {
    if (action.kind === 'quit') app.quit();
    else if (action.kind === 'open') deps.windows.open(action.request);
    else void toggleAlerts();
  };
  const tray = deps.tray(act);
  const feed = new TrayFeed({ clock: deps.clock, platform: deps.platform, onView: (v) => tray.render(v) });
  const unfeed = deps.hub.subscribe((channel, payload) => feed.onEvent(channel, payload));
  feed.publishNow();
  void services.mappings.settings(undefined, CTX).then((s) => feed.setAlertsPaused(s.alertsPaused));

  async function toggleAlerts(): Promise<void> {
    const paused = !feed.current.alertsPaused;
    await services.mappings
      .saveSettings({ alertsPaused: paused }, CTX)
      .catch((err: unknown) => deps.log(`pause alerts: ${String(err)}`));
  }

  app.on('before-quit', () => (quitting = true));
  app.on('window-all-closed', () => {
    const closeToTray = deps.prefs.value.closeToTray;
    if (whenAllWindowsClosed({ platform: deps.platform, quitting, closeToTray }) === 'quit') return app.quit();
    if (deps.prefs.value.trayHintShown || !deps.notifier.isSupported()) return;
    deps.notifier.show(TRAY_HINT, () => deps.windows.open(null));
    void deps.prefs.save({ trayHintShown: true }).catch((err: unknown) => deps.log(`tray hint: ${String(err)}`));
  });
  // A second start from the launcher opens the window (the login item's own start stays in the tray),
  // and so does a click on the macOS Dock icon.
  app.on('second-instance', (_event, argv) => {
    if (!argv.includes(HIDDEN_FLAG)) deps.windows.open(null);
  });
  app.on('activate', () => deps.windows.open(null));

  const resume = deps.hidden ? loginResume(deps, feed) : null;
  if (!deps.hidden) deps.windows.open(null);
  return () => {
    resume?.cancel();
    unfeed();
    feed.dispose();
    tray.destroy();
  };
}

function loginResume(deps: BackgroundDeps, feed: TrayFeed): LoginResume {
  const router = deps.services.router;
  const resume = new LoginResume({
    listProfiles: () => router.listProfiles(undefined, CTX),
    connect: (profileId) => router.connect({ profileId }, CTX),
    othersActive: async () => ['connecting', 'connected'].includes((await router.state(undefined, CTX)).kind),
    onNeedsPassword: (p) => feed.setNeedsPassword(p),
    clock: deps.clock,
    log: deps.log,
  });
  void resume.run().then((outcome) => deps.log(`login start: ${outcome}`));
  return resume;
}
