/**
 * The seam between RouterSession and the wire: one logged-in connection as a `Link`, and the limits
 * and deadlines every link enforces on what a router sends (issue 18: a broken or hostile router
 * must not crash, hang or balloon PortPilot).
 */
import type { RouterConnectionError } from './errors';
import type { RouterTarget } from './target';
import type { TlsPeer } from './tls';

export type Row = Record<string, string>;

/**
 * What a router may send, enforced where the bytes come in (the patched node-routeros Receiver and
 * Channel). A violation closes the link with RouterConnectionError('protocol'). Defaults are generous
 * for real routers: RouterOS comments and scripts are far below a MiB, and a 100,000-row NAT print is
 * about 30 MB on the wire (~65 MB of rows in memory). Tables bigger than a buffered reply may hold
 * are read with `Link.each` / `RouterSession.printEach`, which keep no rows.
 */
export interface WireLimits {
  /** Largest single word (checked from its length prefix, before it is buffered). */
  maxWordBytes: number;
  /** Largest sentence (one row) in bytes, and in words. */
  maxSentenceBytes: number;
  maxSentenceWords: number;
  /** Largest reply `Link.write` buffers, in wire bytes and rows. */
  maxReplyBytes: number;
  maxReplyRows: number;
}

/** Must equal DEFAULT_LIMITS in the patched Receiver.js (node-routeros-patch.test.ts checks it). */
export const DEFAULT_WIRE_LIMITS: Readonly<WireLimits> = {
  maxWordBytes: 8 * 1024 * 1024,
  maxSentenceBytes: 32 * 1024 * 1024,
  maxSentenceWords: 10_000,
  maxReplyBytes: 64 * 1024 * 1024,
  maxReplyRows: 1_000_000,
};

/** How long a command may take in total, first word sent to `!done` (not an idle timer). */
export const DEFAULT_COMMAND_TIMEOUT_MS = 60_000;

export interface LinkStream {
  stop(): Promise<void>;
}

export interface CommandOptions {
  /** Overrides the link's command deadline for this command. */
  timeoutMs?: number;
}

export interface Link {
  /** The TLS peer of an API-SSL link (undefined for plain API). */
  readonly tls: TlsPeer | undefined;
  /**
   * Sends a command and buffers its reply (bounded by WireLimits.maxReplyBytes/Rows). Past the
   * command deadline the link is torn down (a reply trickling in byte by byte blocks every other
   * command on the same connection anyway) and the call rejects with RouterConnectionError('timeout').
   */
  write(words: string[], opts?: CommandOptions): Promise<Row[]>;
  /** Like write, but hands each row to `onRow` as it arrives and keeps none; resolves with the count. */
  each(words: string[], onRow: (row: Row) => void, opts?: CommandOptions): Promise<number>;
  /** A command that never ends by itself (`listen`); no deadline: the session's keepalive watches it. */
  stream(words: string[], onRow: (row: Row) => void, onEnd: (err: Error) => void): LinkStream;
  /** Called once when the connection is lost (not after close()). */
  onLost(listener: (err: RouterConnectionError) => void): void;
  /** Polite close (`force`: tear down at once, e.g. the router stopped answering). */
  close(opts?: { force?: boolean }): Promise<void>;
}

export interface LinkOptions {
  /** TCP + TLS + login must finish within this. */
  timeoutMs: number;
  /** The socket is dead after this long without a byte (the library's own check). */
  idleTimeoutMs: number;
  /** Total deadline of each command (default DEFAULT_COMMAND_TIMEOUT_MS). */
  commandTimeoutMs?: number;
  /** Tests lower them; default DEFAULT_WIRE_LIMITS. */
  limits?: Partial<WireLimits>;
  /** Gives up a connect in progress at once (the session was closed meanwhile). */
  signal?: AbortSignal;
}

export type LinkOpener = (target: RouterTarget, opts: LinkOptions) => Promise<Link>;

/** "2 s", "1.5 s", "250 ms" for messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Number((ms / 1000).toFixed(1))} s`;
}
