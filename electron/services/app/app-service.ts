import type { DomainService, EventSink } from '../../../shared/contract/define';
import type { appDomain, AppInfo } from '../../../shared/domains/app';
import { webModeBackground, type BackgroundSettings } from '../../background/background-settings';

export interface AppServiceDeps {
  emit: EventSink<typeof appDomain>;
  info: Omit<AppInfo, 'transport'>;
  now?: () => Date;
  /** Injected so tests drive the tick with fake timers. */
  setInterval?: (fn: () => void, ms: number) => { unref?: () => void };
  clearInterval?: (handle: unknown) => void;
  tickMs?: number;
  /** Tray and start at login (desktop); web mode leaves it out and answers "not here". */
  background?: BackgroundSettings;
}

export interface AppService extends DomainService<typeof appDomain> {
  dispose(): void;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const now = deps.now ?? (() => new Date());
  const set = deps.setInterval ?? setInterval;
  const clear = deps.clearInterval ?? ((h: unknown) => clearInterval(h as NodeJS.Timeout));
  let seq = 0;
  const handle = set(() => deps.emit('tick', { seq: ++seq, at: now().toISOString() }), deps.tickMs ?? 1000);
  handle.unref?.();
  const background = deps.background ?? webModeBackground;

  return {
    info: async (_input, ctx) => ({ ...deps.info, transport: ctx.transport }),
    ping: async () => ({ pong: true, at: now().toISOString() }),
    echo: async ({ text }) => ({ text, length: text.length }),
    background: () => background.info(),
    setBackground: (patch) => background.set(patch),
    dispose: () => clear(handle),
  };
}
