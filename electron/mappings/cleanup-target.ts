/** A mapping the cleanup works on, as the preview recorded it (a leaf: imported by every cleanup module). */
import type { MappingFields, StaleReason } from '../../shared/domains/mappings';

/**
 * What cleanup verified about a mapping right before removing it: RouterOS's own fields of the mapping
 * (MappingFields) and who held it. `ruleIds` are the dynamic rule ids, verified dynamic in the re-check
 * (RouterOS ids only grow: never reused).
 */
export interface Target extends MappingFields {
  ruleIds: string[];
  hostName: string | null;
}

/** A target with the reasons it was stale for (the re-check reads them). */
export interface Entry extends Target {
  reasons: StaleReason[];
}
