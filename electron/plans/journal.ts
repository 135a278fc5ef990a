/**
 * The apply journal: written before and after every step, so a connection that drops mid-apply never
 * leaves a silent half-applied router. On reconnect the journal says what was applied (with each
 * step's inverse) and what was in flight, and the user chooses rollback or resume.
 */
import { readFile, rm } from 'node:fs/promises';
import { writeFileAtomic } from '../storage';
import type { JournalStatus } from '../../shared/domains/config';
import type { Plan, StepOp } from './types';

export type JournalStepStatus =
  'pending' | 'sending' | 'applied' | 'already-done' | 'failed' | 'rolled-back' | 'rollback-failed';

export interface JournalStep {
  id: string;
  status: JournalStepStatus;
  /** Filled before sending (so an in-flight step can still be undone) and completed after. */
  inverse?: StepOp;
  error?: string;
}

export interface Journal {
  version: 1;
  plan: Plan;
  /** Which router the plan was applied to, for people (`admin@192.168.88.1:8728`). */
  target: string;
  /** Which router the plan was applied to, for code (RouterLink.dataKey); absent in older journals. */
  routerKey?: string;
  startedAt: string;
  status: JournalStatus;
  steps: JournalStep[];
  message?: string;
}

export interface JournalStore {
  load(): Promise<Journal | null>;
  save(journal: Journal): Promise<void>;
  clear(): Promise<void>;
}

export function memoryJournalStore(): JournalStore & { current: Journal | null } {
  const store = {
    current: null as Journal | null,
    load: async () => (store.current ? structuredClone(store.current) : null),
    save: async (j: Journal) => {
      store.current = structuredClone(j);
    },
    clear: async () => {
      store.current = null;
    },
  };
  return store;
}

/** JSON file, written atomically (a crash never leaves half a journal). */
export function fileJournalStore(path: string): JournalStore {
  return {
    async load() {
      try {
        const parsed = JSON.parse(await readFile(path, 'utf8')) as Journal;
        return parsed.version === 1 ? parsed : null;
      } catch {
        return null;
      }
    },
    async save(journal) {
      await writeFileAtomic(path, JSON.stringify(journal, null, 2));
    },
    async clear() {
      await rm(path, { force: true });
    },
  };
}
