/**
 * When the monitor re-reads owners, counters and connections (its enrichment pass), by whether
 * anybody has the mappings on screen (issue 14; WatchLease). Issue 14 measured 1.3 s of CPU a minute
 * for re-reading 10,000 rules' counters and recomputing every view every 15 s for a screen nobody
 * looked at. Mapping changes still arrive at once through `listen`; only these facts wait.
 */
import type { MappingsSettings } from '../../shared/domains/mappings';
import type { MappingsClock } from './clock';

/** The pass interval while nobody watches (the configured `enrichSeconds` while someone does). */
export const UNWATCHED_ENRICH_SECONDS = 120;
/**
 * While nobody watches, every rule's counters are re-read only every this many passes (6 minutes):
 * they move "no traffic for N days" verdicts, which take many minutes to matter; the listen stream
 * still brings the counter changes a router pushes, and a new watch reads them at once.
 */
export const UNWATCHED_COUNTERS_EVERY = 3;

export interface PaceDeps {
  clock: MappingsClock;
  settings: () => MappingsSettings;
  /** Absent = always watched: the pace of `enrichSeconds`, counters on every pass. */
  watched?: () => boolean;
  /** One pass; `null` when now is no time for one (a snapshot is being read). */
  pass: () => Promise<void> | null;
  log: (line: string) => void;
}

export class EnrichmentPace {
  private timer: unknown = null;
  private stopped = false;
  private passesSinceCounters = 0;

  constructor(private readonly deps: PaceDeps) {}

  watched(): boolean {
    return this.deps.watched?.() ?? true;
  }

  /** Whether this pass reads every rule's counters (call once per pass). */
  countersDue(): boolean {
    const due = this.watched() || ++this.passesSinceCounters >= UNWATCHED_COUNTERS_EVERY;
    if (due) this.passesSinceCounters = 0;
    return due;
  }

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
  }

  /** Somebody started watching: the next pass runs now instead of at the slow pace. */
  wake(): void {
    if (this.stopped || this.timer === null) return;
    this.deps.clock.clearTimeout(this.timer);
    this.schedule(0);
  }

  private delayMs(): number {
    const seconds = this.deps.settings().enrichSeconds;
    return (this.watched() ? seconds : Math.max(seconds, UNWATCHED_ENRICH_SECONDS)) * 1000;
  }

  private schedule(delayMs = this.delayMs()): void {
    if (this.stopped) return;
    this.timer = this.deps.clock.setTimeout(() => {
      this.timer = null;
      void (this.deps.pass() ?? Promise.resolve())
        .catch((err: unknown) => this.deps.log(`mappings enrichment failed: ${String(err)}`))
        .finally(() => this.schedule());
    }, delayMs);
  }
}
