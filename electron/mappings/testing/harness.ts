/** Builds a monitor with in-memory ports for tests and the bench. */
import {
  DEFAULT_SETTINGS,
  type MappingsDelta,
  type MappingsSettings,
  type MonitorStatus,
} from '../../../shared/domains/mappings';
import type { RouterPort } from '../../core/router-port';
import type { MappingAlert } from '../alert-rules';
import { DeltaBatcher } from '../batcher';
import { systemMappingsClock, type MappingsClock } from '../clock';
import { memoryFileStore } from '../file-store';
import { HistoryStore, type FileStore } from '../history';
import { MappingMonitor } from '../monitor';
import { createOuiLoader, lookupFrom, type OuiLoader } from '../oui';

export const noVendors = (): OuiLoader => {
  const lookup = lookupFrom(new Map());
  return { load: async () => lookup, ready: () => lookup };
};

export interface Harness {
  monitor: MappingMonitor;
  deltas: MappingsDelta[];
  /** What the monitor reported for the alert gate (one per new mapping that matters). */
  notices: MappingAlert[];
  files: FileStore;
  settings: MappingsSettings;
  vendors: OuiLoader;
}

export async function monitorHarness(
  router: RouterPort,
  opts: {
    clock?: MappingsClock;
    files?: FileStore;
    settings?: Partial<MappingsSettings>;
    realVendors?: boolean;
    /** A vendor loader of the test's own (wins over realVendors). */
    vendors?: OuiLoader;
    onDelta?: (d: MappingsDelta) => void;
    onStatus?: (s: MonitorStatus) => void;
    watched?: () => boolean;
  } = {},
): Promise<Harness> {
  const clock = opts.clock ?? systemMappingsClock();
  const files = opts.files ?? memoryFileStore();
  const deltas: MappingsDelta[] = [];
  const notices: MappingAlert[] = [];
  const settings = { ...DEFAULT_SETTINGS, ...opts.settings };
  const history = new HistoryStore(files, 'h.json', clock);
  await history.load();
  const batcher = new DeltaBatcher((d) => (deltas.push(d), opts.onDelta?.(d)), clock);
  const vendors = opts.vendors ?? (opts.realVendors ? createOuiLoader() : noVendors());
  const monitor = new MappingMonitor({
    router,
    clock,
    history,
    batcher,
    vendors,
    settings: () => settings,
    onStatus: opts.onStatus ?? (() => {}),
    onNotice: (n) => notices.push(n),
    log: () => {},
    watched: opts.watched,
  });
  return { monitor, deltas, notices, files, settings, vendors };
}

/** Applies deltas like the renderer store does: the receiver's view of the mapping set. */
export function applyDeltas(deltas: MappingsDelta[]): Map<string, string> {
  const seen = new Map<string, string>();
  for (const d of deltas) {
    if (d.reset) seen.clear();
    for (const v of [...d.added, ...d.updated]) seen.set(v.id, v.internalAddress);
    for (const id of d.removed) seen.delete(id);
  }
  return seen;
}
