/**
 * Coalesces mapping changes into at most one delta per frame (~60 per second), so 10,000 mappings
 * changing at once reach the renderer as a few large deltas instead of a flood of IPC messages.
 * Within a frame: add+remove cancel out, remove+add becomes an update, repeated updates keep the last.
 */
import type { MappingsDelta, MappingView } from '../../shared/domains/mappings';
import type { MappingsClock } from './clock';

export const FRAME_MS = 16;

type Pending = { kind: 'added' | 'updated'; view: MappingView } | { kind: 'removed' };

export class DeltaBatcher {
  private pending = new Map<string, Pending>();
  private resetTo: MappingView[] | null = null;
  private timer: unknown = null;
  private lastFlush = -Infinity;
  private seqNo = 0;

  constructor(
    private readonly emit: (delta: MappingsDelta) => void,
    private readonly clock: MappingsClock,
    private readonly frameMs = FRAME_MS,
  ) {}

  /** Sequence number of the last emitted delta (a snapshot taken now includes everything up to it after flush). */
  get seq(): number {
    return this.seqNo;
  }

  added(view: MappingView): void {
    const was = this.pending.get(view.id);
    this.pending.set(view.id, { kind: was?.kind === 'removed' ? 'updated' : 'added', view });
    this.schedule();
  }

  updated(view: MappingView): void {
    const was = this.pending.get(view.id);
    this.pending.set(view.id, { kind: was?.kind === 'added' ? 'added' : 'updated', view });
    this.schedule();
  }

  removed(id: string): void {
    const was = this.pending.get(id);
    if (was?.kind === 'added') this.pending.delete(id);
    else this.pending.set(id, { kind: 'removed' });
    this.schedule();
  }

  /** After a reconnect: the next delta replaces the receiver's whole set. */
  reset(all: MappingView[]): void {
    this.pending.clear();
    this.resetTo = all;
    this.schedule();
  }

  /** Emits what is pending now (also used before answering a snapshot, so seq lines up). */
  flush(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    if (this.pending.size === 0 && this.resetTo === null) return;
    const delta: MappingsDelta = {
      seq: ++this.seqNo,
      // A copy, not push(...all): 10,000+ views as call arguments is slow, and a large enough set
      // overflows the stack (RangeError) on the reset after a reconnect.
      added: this.resetTo ? this.resetTo.slice() : [],
      updated: [],
      removed: [],
      reset: this.resetTo !== null,
    };
    for (const [id, p] of this.pending) {
      if (p.kind === 'removed') delta.removed.push(id);
      else if (delta.reset) delta.added.push(p.view);
      else delta[p.kind].push(p.view);
    }
    this.pending = new Map();
    this.resetTo = null;
    this.lastFlush = this.clock.now();
    this.emit(delta);
  }

  /** Drops what is pending without emitting (the monitor stopped). */
  clear(): void {
    if (this.timer !== null) this.clock.clearTimeout(this.timer);
    this.timer = null;
    this.pending = new Map();
    this.resetTo = null;
  }

  private schedule(): void {
    if (this.timer !== null) return;
    const wait = Math.max(0, this.lastFlush + this.frameMs - this.clock.now());
    this.timer = this.clock.setTimeout(() => {
      this.timer = null;
      this.flush();
    }, wait);
  }
}
