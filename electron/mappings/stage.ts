/**
 * A snapshot still being read (issue 14): the fresh JoinIndex its NAT rows stream into, and the views
 * already built for them. The owners, subnets and connections (readEnrichment) and the seed menu's
 * rows arrive long before the last of 10,000 NAT rows; from then on the monitor builds each row's
 * view as the row arrives, so what is left after the last row is the swap, not 10,000 views. A view
 * staged with another memo (owners, vendor table) than the one current at the swap is built again.
 */
import type { MappingView } from '../../shared/domains/mappings';
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
}
