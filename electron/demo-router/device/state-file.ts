/**
 * `--state-file`: the configuration (not dynamic mappings, connections or logs — like a reboot)
 * saved as JSON on every configuration change, debounced, written atomically so a crash never leaves
 * half a file.
 */
import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import { writeFileAtomic } from '../../storage';
import type { ConfigSnapshot, DemoDevice } from './device';

const snapshotSchema = z.object({
  version: z.literal(1),
  profile: z.enum(['routeros7', 'seed']),
  tables: z.record(
    z.string(),
    z.object({ nextId: z.number().int().min(1), rows: z.array(z.record(z.string(), z.string())) }),
  ),
});

export class StateFileError extends Error {
  constructor(
    readonly code: 'unreadable' | 'invalid',
    message: string,
  ) {
    super(message);
    this.name = 'StateFileError';
  }
}

/** null when the file does not exist yet (first start). */
export async function loadState(path: string): Promise<ConfigSnapshot | null> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError('unreadable', `cannot read state file ${path}: ${(err as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new StateFileError('invalid', `state file ${path} is not JSON: ${(err as Error).message}`);
  }
  const parsed = snapshotSchema.safeParse(json);
  if (!parsed.success)
    throw new StateFileError('invalid', `state file ${path} has an unexpected shape: ${parsed.error.message}`);
  return parsed.data;
}

export async function saveState(path: string, snapshot: ConfigSnapshot): Promise<void> {
  // Owner-only (was the umask's default), like every other file PortPilot writes.
  await writeFileAtomic(path, `${JSON.stringify(snapshot, null, 1)}\n`);
}

export interface StateWriter {
  /** Writes now if a change is pending. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function attachStateWriter(
  dev: DemoDevice,
  path: string,
  opts: { debounceMs?: number; log?: (line: string) => void } = {},
): StateWriter {
  const debounceMs = opts.debounceMs ?? 200;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pending = false;
  let writing: Promise<void> = Promise.resolve();
  const write = (): Promise<void> => {
    if (timer) clearTimeout(timer);
    timer = null;
    if (!pending) return writing;
    pending = false;
    const snapshot = dev.exportConfig();
    writing = writing
      .then(() => saveState(path, snapshot))
      .catch((err: Error) => opts.log?.(`state file: cannot write ${path}: ${err.message}`));
    return writing;
  };
  const off = dev.onConfigChange(() => {
    pending = true;
    if (timer) return;
    timer = setTimeout(() => void write(), debounceMs);
    timer.unref?.();
  });
  return {
    flush: write,
    close: async () => {
      off();
      await write();
    },
  };
}
