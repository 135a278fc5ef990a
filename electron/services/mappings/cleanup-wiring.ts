/**
 * The cleanup's ports for the connected router: what each router allowed it (learnt per router: a
 * file for real routers, memory for a demo run, whose devices are new on every start), this
 * computer's IGD requests, and the router's change lock (ChangeApplier) so a cleanup's UPnP restart
 * never meets a configuration apply.
 */
import type { EventSink } from '../../../shared/contract/define';
import type { mappingsDomain } from '../../../shared/domains/mappings';
import type { RouterLink } from '../../core/router-link';
import { Cleanup, type CleanupTarget, type LearnedStore } from '../../mappings/cleanup';
import type { MappingsClock } from '../../mappings/clock';
import { memoryFileStore } from '../../mappings/file-store';
import type { FileStore } from '../../mappings/history';
import type { IgdActions } from '../../mappings/igd-port';
import { CapabilityBook } from '../../mappings/learned';
import type { MappingMonitor } from '../../mappings/monitor';
import { DATA_FILES } from '../../storage';

export interface RouterLock {
  runExclusive<T>(
    router: RouterLink,
    title: string,
    fn: () => Promise<T>,
    onWaiting?: (running: string) => void,
  ): Promise<T>;
}

export interface CleanupWiringDeps {
  clock: MappingsClock;
  files: FileStore;
  emit: EventSink<typeof mappingsDomain>;
  log: (line: string) => void;
  igd?: IgdActions;
  lock?: RouterLock;
  concurrency?: number;
  restoreLanes?: number;
  verifyMs?: number;
}

export function cleanupWiring(deps: CleanupWiringDeps) {
  const { clock, log } = deps;
  const cleanup = new Cleanup({
    clock,
    concurrency: deps.concurrency,
    restoreLanes: deps.restoreLanes,
    verifyMs: deps.verifyMs,
    onProgress: (p) => deps.emit('cleanupProgress', p),
  });
  const books = {
    file: new CapabilityBook(deps.files, DATA_FILES.cleanupCapabilities, clock, log),
    demo: new CapabilityBook(memoryFileStore(), DATA_FILES.cleanupCapabilities, clock, log),
  };
  const learnedFor = (link: RouterLink): LearnedStore => {
    const book = link.isDemo ? books.demo : books.file;
    const facts = () => ({ identity: link.capabilities.identity, version: link.capabilities.version });
    return {
      get: () => book.get(link.dataKey, facts()),
      record: (answers) => book.record(link.dataKey, facts(), answers),
    };
  };
  /** The router a cleanup call works on, with everything that belongs to it. */
  const targetOf = ({ router, monitor }: { router: RouterLink; monitor: MappingMonitor }): CleanupTarget => {
    const lock = deps.lock;
    return {
      router,
      monitor,
      learned: learnedFor(router),
      igd: deps.igd ?? null,
      exclusive: lock ? (title, fn, onWaiting) => lock.runExclusive(router, title, fn, onWaiting) : undefined,
    };
  };
  return { cleanup, targetOf };
}
