import type { DomainService, EventSink } from '../../../shared/contract/define';
import type { appDomain, AppInfo } from '../../../shared/domains/app';
import { webModeBackground, type BackgroundSettings } from '../../background/background-settings';

export interface AppServiceDeps {
  emit: EventSink<typeof appDomain>;
  info: Omit<AppInfo, 'transport'>;
  now?: () => Date;
  /** Tray and start at login (desktop); web mode leaves it out and answers "not here". */
  background?: BackgroundSettings;
}

export interface AppService extends DomainService<typeof appDomain> {
  dispose(): void;
}

export function createAppService(deps: AppServiceDeps): AppService {
  const now = deps.now ?? (() => new Date());
  const background = deps.background ?? webModeBackground;

  return {
    info: async (_input, ctx) => ({ ...deps.info, transport: ctx.transport }),
    ping: async () => ({ pong: true, at: now().toISOString() }),
    background: () => background.info(),
    setBackground: (patch) => background.set(patch),
    dispose: () => undefined,
  };
}
