/**
 * Whether anybody has the mappings on screen (issue 14; the contract's `mappings.watch`). A
 * `visible: true` holds for WATCH_LEASE_MS unless renewed, so a screen that went away without saying
 * so (window closed, tab hidden, renderer crashed) stops costing router reads by itself. Expiry is
 * read when the monitor schedules its next pass: no timer of its own.
 */
import { WATCH_LEASE_MS } from '../../shared/domains/mappings';
import type { MappingsClock } from './clock';

export class WatchLease {
  private until = -Infinity;

  constructor(
    private readonly clock: MappingsClock,
    /** Called when a watch starts (not on renewals): the screen wants fresh facts now. */
    private readonly onStart: () => void = () => {},
  ) {}

  set(visible: boolean): void {
    const was = this.watched();
    this.until = visible ? this.clock.now() + WATCH_LEASE_MS : -Infinity;
    if (visible && !was) this.onStart();
  }

  watched(): boolean {
    return this.clock.now() < this.until;
  }
}
