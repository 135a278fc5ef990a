/** A mapping the cleanup works on, as the preview recorded it (a leaf: imported by every cleanup module). */
import type { StaleReason } from '../../shared/domains/mappings';

/** What cleanup verified about a mapping right before removing it. */
export interface Target {
  id: string;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  hostName: string | null;
  enabled: boolean;
  source: 'upnp' | 'nat-pmp' | 'unknown';
  /** Dynamic rule ids, verified dynamic in the re-check (RouterOS ids only grow: never reused). */
  ruleIds: string[];
  upnpMappingId: string | null;
}

/** A target with the reasons it was stale for (the re-check reads them). */
export interface Entry extends Target {
  reasons: StaleReason[];
}
