import type { MappingsSettings } from '../../../shared/domains/mappings';
import type { RouterPort } from '../../core/router-port';
import type { Cleanup } from '../../mappings/cleanup';
import type { MappingsClock } from '../../mappings/clock';
import type { MappingMonitor } from '../../mappings/monitor';

const CHECK_EVERY_MS = 10 * 60_000;

export interface ScheduledCleanupDeps {
  clock: MappingsClock;
  cleanup: Cleanup;
  settings: () => MappingsSettings;
  live: () => { router: RouterPort; monitor: MappingMonitor } | null;
  log: (line: string) => void;
}

/**
 * The optional unattended cleanup: every ten minutes it checks whether the user's interval has
 * passed, then removes what the preview would offer (stale mappings only; never static rules).
 */
export class ScheduledCleanup {
  private last: number;
  private readonly timer: unknown;

  constructor(private readonly deps: ScheduledCleanupDeps) {
    this.last = deps.clock.now();
    this.timer = deps.clock.setInterval(() => void this.check(), CHECK_EVERY_MS);
  }

  async check(): Promise<void> {
    const { clock, cleanup, settings, log } = this.deps;
    const live = this.deps.live();
    if (!settings().scheduledCleanup || !live) return;
    if (clock.now() - this.last < settings().scheduledCleanupHours * 3_600_000) return;
    this.last = clock.now();
    const preview = cleanup.preview(live.monitor.list());
    const ids = preview.candidates.map((c) => c.mapping.id);
    if (ids.length === 0) return;
    await cleanup
      .run(live.router, preview.previewId, ids)
      .catch((e: unknown) => log(`scheduled cleanup: ${String(e)}`));
  }

  dispose(): void {
    this.deps.clock.clearInterval(this.timer);
  }
}
