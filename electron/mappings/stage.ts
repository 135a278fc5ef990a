/**
 * A snapshot still being read (issue 14): the fresh JoinIndex its NAT rows stream into, and the views
 * already built for them. The owners, subnets and connections (readEnrichment) and the seed menu's
 * rows arrive long before the last of 10,000 NAT rows; from then on the monitor builds each row's
 * view as the row arrives, so what is left after the last row is the swap, not 10,000 views. A view
 * staged with another memo (owners, vendor table) than the one current at the swap is built again.
 *
 * On a router session's first snapshot the receiver has nothing to show yet, so the views also go to it
 * as they are staged (`live`): a reset delta when staging begins, then the rows as they come, and at the
 * swap only what differs from what it was sent. The table fills while 10,000 rows stream in, and the
 * renderer parses them while main is still reading. A resync keeps the receiver's rows "as last seen"
 * until its one reset delta at the swap.
 */
import type { MappingView } from '../../shared/domains/mappings';
import type { DeltaBatcher } from './batcher';
import { JoinIndex } from './join-index';
import type { ViewMemo } from './view-memo';

export interface StagedView {
  view: MappingView;
  /** The memo it was built with: stands for the owners and vendor table it saw. */
  memo: ViewMemo;
}

export class SnapshotStage {
  readonly next = new JoinIndex();
  readonly views = new Map<string, StagedView>();
  /** Owners and the seed rows are in: rows get their view as they arrive. */
  begun = false;
  /** Swapped in, or failed: a late answer or row stages nothing more. */
  closed = false;

  /** `live`: the receiver gets the views as they are staged (a session's first snapshot). */
  constructor(
    private readonly batcher: DeltaBatcher,
    private readonly live: boolean,
  ) {}

  /** The receiver is being sent the staged views: they are what it shows until the swap. */
  get streaming(): boolean {
    return this.live && !this.closed;
  }

  begin(): void {
    this.begun = true;
    if (this.live) this.batcher.reset([]);
  }

  put(id: string, staged: StagedView | null): void {
    if (!staged) return this.drop(id);
    this.views.set(id, staged);
    if (this.live) this.batcher.added(staged.view);
  }

  drop(id: string): void {
    if (this.views.delete(id) && this.live) this.batcher.removed(id);
  }

  /**
   * The swap: `final` is the monitor's set now, `reused` how many of its views are staged ones. A
   * receiver that was sent the staged views gets what differs (a view built again, one gone); any
   * other gets the whole set in one reset delta.
   */
  settle(final: ReadonlyMap<string, MappingView>, reused: number): void {
    this.closed = true;
    this.tell(final, reused);
    // The monitor keeps the last stage until the next snapshot: its 10,000 staged views go now.
    this.views.clear();
  }

  private tell(final: ReadonlyMap<string, MappingView>, reused: number): void {
    if (!this.live) return this.batcher.reset([...final.values()]);
    // Every final view is a staged one and nothing else was staged: the receiver has the final set
    // already (the usual case: the memo did not change while reading).
    if (reused === final.size && final.size === this.views.size) return;
    for (const id of this.views.keys()) if (!final.has(id)) this.batcher.removed(id);
    for (const [id, view] of final) {
      const sent = this.views.get(id)?.view;
      if (sent === undefined) this.batcher.added(view);
      else if (sent !== view) this.batcher.updated(view);
    }
  }

  /** The snapshot failed: nothing more is staged, and a receiver that was sent rows gets `current` back. */
  abandon(current: () => MappingView[]): void {
    const sent = this.streaming;
    this.closed = true;
    this.views.clear();
    if (sent) this.batcher.reset(current());
  }
}
