/**
 * What main tells the renderer about each mapping (the view), and the snapshot and deltas that carry
 * views. Apart from mappings.ts so that their wire form (mappings-wire.ts) needs no import of the domain.
 */
export type MappingSource = 'upnp' | 'nat-pmp' | 'unknown';
export type StaleCode = 'owner-gone' | 'idle' | 'outside-subnet';

export interface StaleReason {
  code: StaleCode;
  /** For people: "alex-laptop left the network 6 days ago (no ARP entry, lease not bound)". */
  detail: string;
}

export interface MappingOwner {
  hostName: string | null;
  mac: string | null;
  vendor: string | null;
  interface: string | null;
  /** ARP entry or bound DHCP lease right now. */
  present: boolean;
  /** Epoch ms the owner was last known on the network; null = never seen. */
  lastSeenAt: number | null;
}

export type MappingStatus = 'active' | 'idle' | 'stale' | 'disabled';

/** What RouterOS itself says about a mapping; main's parsed rows and the view both start from it. */
export interface MappingFields {
  id: string;
  protocol: 'tcp' | 'udp';
  externalPort: number;
  internalAddress: string;
  internalPort: number;
  description: string;
  source: MappingSource;
  /** The seed guide's /ip/upnp/mappings row id, when that menu lists the mapping. */
  upnpMappingId: string | null;
  enabled: boolean;
}

export interface MappingView extends MappingFields {
  /** The dynamic /ip/firewall/nat rule id(s). */
  ruleIds: string[];
  owner: MappingOwner;
  /** Epoch ms: first time PortPilot saw it on this router (kept across restarts, per router). */
  firstSeenAt: number;
  /**
   * Epoch ms since when the mapping is known to exist: `firstSeenAt`, or the time its device was last
   * on the network when that is earlier (a device that left cannot have asked for it since). The
   * Mappings table's "Known for" column; it is a lower bound of the mapping's age, never more.
   */
  knownSinceAt: number;
  /** Which of the two `knownSinceAt` is. */
  ageBasis: 'first-seen' | 'owner-last-seen';
  /** Epoch ms of the last counter change or tracked connection; null = none seen yet. */
  lastTrafficAt: number | null;
  status: MappingStatus;
  staleReasons: StaleReason[];
}

export type MonitorPhase = 'idle' | 'loading' | 'live' | 'resyncing' | 'error';

export interface MonitorStatus {
  phase: MonitorPhase;
  message: string | null;
  count: number;
}

export interface MappingsSnapshot {
  mappings: MappingView[];
  /** Deltas with seq ≤ this are already in the snapshot. */
  seq: number;
  status: MonitorStatus;
  /** Router clock is not ours: the time this snapshot was built, for age/idle display. */
  at: number;
}

export interface MappingsDelta {
  seq: number;
  added: MappingView[];
  updated: MappingView[];
  removed: string[];
  /** True after a reconnect: the receiver drops what it has and takes `added` as the whole set. */
  reset: boolean;
}
