import type { MappingsSettings } from '../../../shared/domains/mappings';
import type { Cleanup, CleanupTarget } from '../../mappings/cleanup';
import type { MappingsClock } from '../../mappings/clock';
import { plural } from '../../../shared/words';

const CHECK_EVERY_MS = 10 * 60_000;

export interface ScheduledCleanupDeps {
  clock: MappingsClock;
  cleanup: Cleanup;
  settings: () => MappingsSettings;
  target: () => CleanupTarget | null;
  log: (line: string) => void;
}

/**
 * The optional unattended cleanup: every ten minutes it checks whether the user's interval has
 * passed, then removes what the preview would offer (stale mappings only; never static rules) with
 * the strategies that touch nothing else. It never restarts UPnP: that drops every UPnP mapping for a
 * moment, which only the user may confirm (issue 11), so on a router that needs it the mappings stay
 * and the log says so.
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
    const target = this.deps.target();
    if (!settings().scheduledCleanup || !target) return;
    if (clock.now() - this.last < settings().scheduledCleanupHours * 3_600_000) return;
    this.last = clock.now();
    try {
      const preview = await cleanup.preview(target);
      const ids = preview.candidates.map((c) => c.mapping.id);
      if (ids.length === 0) return;
      const summary = await cleanup.run(target, preview.previewId, ids, { strategy: 'igd-delete', acceptLoss: false });
      if (summary.failed > 0)
        log(
          `scheduled cleanup: ${plural(summary.failed, 'stale mapping')} left; removing them needs a UPnP restart, which only you can confirm`,
        );
    } catch (e) {
      log(`scheduled cleanup: ${String(e)}`);
    }
  }

  dispose(): void {
    this.deps.clock.clearInterval(this.timer);
  }
}
