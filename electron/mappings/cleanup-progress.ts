/**
 * Cleanup progress for the renderer: a phase change goes out at once, counts at most every 100 ms
 * (issue 11: one event per mapping kept a 10,000-row window busy at one frame per second).
 */
import type { CleanupPhase, CleanupProgress } from '../../shared/domains/mappings';
import type { MappingsClock } from './clock';

export const PROGRESS_EVERY_MS = 100;

export class ProgressReporter {
  private state: CleanupProgress;
  private last = -Infinity;

  constructor(
    runId: string,
    private readonly clock: MappingsClock,
    private readonly emit: (p: CleanupProgress) => void,
  ) {
    this.state = { runId, phase: 'checking', done: 0, total: 0, message: null };
  }

  phase(phase: CleanupPhase, total: number, message: string | null = null): void {
    this.state = { ...this.state, phase, done: 0, total, message };
    this.send();
  }

  step(n = 1): void {
    this.state = { ...this.state, done: Math.min(this.state.total, this.state.done + n) };
    if (this.state.done === this.state.total || this.clock.now() - this.last >= PROGRESS_EVERY_MS) this.send();
  }

  private send(): void {
    this.last = this.clock.now();
    this.emit(this.state);
  }
}
