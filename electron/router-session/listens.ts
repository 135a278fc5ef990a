/**
 * Listens that outlive a connection. RouterOS `listen` streams a row on every change and never ends
 * by itself; a removal carries `=.dead=true` (older docs: `yes`). When the link drops, each listen
 * waits; after a reconnect it is started again and told `resumed`, because changes made during the
 * outage were never streamed: the caller must take a fresh snapshot (print) to catch up.
 */
import type { z } from 'zod';
import { ValidationError } from './errors';
import type { Link, LinkStream, Row } from './transport';
import { parseRow } from './validate';

export type ListenEvent<T> = { type: 'upsert'; id: string | undefined; row: T } | { type: 'removed'; id: string };

export interface ListenOptions<S extends z.ZodType | undefined> {
  proplist?: readonly string[];
  schema?: S;
  /** The listen was re-established after a reconnect: resnapshot now. */
  onResumed?: () => void;
  /** The router refused the listen (trap) or a row failed validation; the listen keeps running
   *  after a validation error and ends after a trap. */
  onError?: (err: Error) => void;
}

export interface ListenHandle {
  cancel(): Promise<void>;
}

interface Entry {
  menu: string;
  words: string[];
  deliver(row: Row): void;
  opts: ListenOptions<z.ZodType | undefined>;
  stream: LinkStream | undefined;
  cancelled: boolean;
}

export class ListenRegistry {
  private readonly entries = new Set<Entry>();

  add<S extends z.ZodType | undefined>(
    menu: string,
    onEvent: (e: ListenEvent<S extends z.ZodType ? z.output<S> : Row>) => void,
    opts: ListenOptions<S>,
  ): Entry {
    const words = [`${menu}/listen`];
    if (opts.proplist) words.push(`=.proplist=${[...new Set(['.id', ...opts.proplist])].join(',')}`);
    const deliver = (row: Row): void => {
      const id = row['.id'];
      if (row['.dead'] === 'true' || row['.dead'] === 'yes') {
        if (id) onEvent({ type: 'removed', id });
        return;
      }
      try {
        const value = opts.schema ? parseRow(menu, opts.schema, row) : row;
        onEvent({ type: 'upsert', id, row: value as S extends z.ZodType ? z.output<S> : Row });
      } catch (err) {
        if (err instanceof ValidationError) opts.onError?.(err);
        else throw err;
      }
    };
    const entry: Entry = { menu, words, deliver, opts, stream: undefined, cancelled: false };
    this.entries.add(entry);
    return entry;
  }

  /** Starts (or restarts after a reconnect) one listen on the given link. */
  start(entry: Entry, link: Link, resumed: boolean): void {
    if (entry.cancelled) return;
    const stream: LinkStream = link.stream(entry.words, entry.deliver, (err) => {
      // A late end of a stream from an earlier connection must not touch its successor.
      if (entry.stream !== stream) return;
      entry.stream = undefined;
      // A lost connection ends every stream; the session restarts them after reconnecting.
      if (err.name === 'RouterConnectionError') return;
      this.entries.delete(entry);
      entry.opts.onError?.(err);
    });
    entry.stream = stream;
    if (resumed) entry.opts.onResumed?.();
  }

  startAll(link: Link, resumed: boolean): void {
    for (const e of this.entries) this.start(e, link, resumed);
  }

  /** The link is gone: streams are dead; forget them without sending a /cancel. */
  detachAll(): void {
    for (const e of this.entries) e.stream = undefined;
  }

  async cancel(entry: Entry): Promise<void> {
    entry.cancelled = true;
    this.entries.delete(entry);
    const s = entry.stream;
    entry.stream = undefined;
    await s?.stop();
  }

  async cancelAll(): Promise<void> {
    await Promise.all([...this.entries].map((e) => this.cancel(e)));
  }

  get size(): number {
    return this.entries.size;
  }
}
