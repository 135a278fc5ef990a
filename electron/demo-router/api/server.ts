/**
 * The demo router's RouterOS API (8728 style) and API-SSL (8729 style) listener. Each connection gets
 * a SentenceDecoder and an ApiSession; a malformed stream gets `!fatal` and is closed without
 * touching any other session.
 */
import net from 'node:net';
import tls from 'node:tls';
import { CodecError, SentenceDecoder } from '../../routeros/codec';
import type { ApiServerOptions, RunningServer } from '../api-device';
import { ApiSession } from './session';
import { serverTlsOptions } from './tls';

export { generateSelfSignedCert, certificateFingerprint256, ANON_DH_CLIENT_OPTIONS } from './tls';

const DEFAULT_MAX_WORD_BYTES = 1024 * 1024;
/** A command sentence has a few dozen words; 4096 is generous and keeps memory bounded. */
const MAX_SENTENCE_WORDS = 4096;
/**
 * A client that stops reading while a listen streams would make the socket buffer grow without end;
 * past this many unsent bytes the connection is dropped.
 */
const MAX_UNSENT_BYTES = 16 * 1024 * 1024;

/**
 * The manual ("API sentences"): before a client has logged in, the length and number of sentences it
 * may send are limited. A login needs three short words.
 */
const PRE_LOGIN_LIMITS = { maxWordBytes: 4096, maxSentenceWords: 32, maxSentenceBytes: 16 * 1024 };

/** Server limits that are not part of ApiServerOptions (tests lower them). */
export interface ServerLimits {
  maxUnsentBytes?: number;
}

function attachSession(
  socket: net.Socket,
  opts: ApiServerOptions,
  limits: ServerLimits,
  log: (l: string) => void,
): void {
  const maxUnsentBytes = limits.maxUnsentBytes ?? MAX_UNSENT_BYTES;
  const maxWordBytes = opts.maxWordBytes ?? DEFAULT_MAX_WORD_BYTES;
  const decoder = new SentenceDecoder({
    ...PRE_LOGIN_LIMITS,
    maxWordBytes: Math.min(PRE_LOGIN_LIMITS.maxWordBytes, maxWordBytes),
  });
  const remoteAddress = socket.remoteAddress ?? '';
  const session = new ApiSession({
    device: opts.device,
    remoteAddress,
    emptyReplies: opts.emptyReplies ?? false,
    log,
    write: (bytes) => {
      if (socket.destroyed || socket.writableEnded) return;
      // A 10,000-row print is 10,000 sentences written in one tick: cork until the next tick so they
      // leave in one writev instead of one write syscall each (Node docs, writable.cork()). end()
      // uncorks, so a `!fatal` still flushes everything before it.
      if (socket.writableCorked === 0) {
        socket.cork();
        process.nextTick(() => socket.uncork());
      }
      socket.write(bytes);
      if (socket.writableLength > maxUnsentBytes) {
        log(`api: ${remoteAddress} is not reading its replies; dropping the connection`);
        socket.destroy();
      }
    },
    onLogin: () =>
      decoder.setLimits({
        maxWordBytes,
        maxSentenceWords: MAX_SENTENCE_WORDS,
        maxSentenceBytes: 4 * maxWordBytes,
      }),
    end: () => {
      if (!socket.writableEnded) socket.end(() => socket.destroy());
    },
  });
  socket.on('data', (chunk: Buffer) => {
    if (session.isClosed) return;
    try {
      // feed, not push: a login inside this chunk raises the limits before the next word is read.
      decoder.feed(chunk, (words) => session.handle(words));
    } catch (err) {
      const reason = err instanceof CodecError ? err.message : String(err);
      log(`api: ${remoteAddress}: ${reason}; closing`);
      session.fatal(`malformed sentence: ${reason}`);
    }
  });
  socket.on('error', (err) => log(`api: ${remoteAddress}: ${err.message}`));
  socket.on('close', () => session.dispose());
}

export async function startApiServer(opts: ApiServerOptions, limits: ServerLimits = {}): Promise<RunningServer> {
  const log = opts.log ?? (() => {});
  const sockets = new Set<net.Socket>();
  const onConnection = (socket: net.Socket): void => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    attachSession(socket, opts, limits, log);
  };
  const server = opts.tls ? tls.createServer(serverTlsOptions(opts.tls), onConnection) : net.createServer(onConnection);
  if (opts.tls) {
    server.on('tlsClientError', (err: Error) => log(`api-ssl: handshake failed: ${err.message}`));
  }
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port, opts.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  // Real RouterOS drops every API connection when it reboots; it sends no `!fatal` first.
  const offReboot = opts.device.onReboot(() => {
    for (const s of sockets) s.destroy();
  });
  server.on('error', (err) => log(`api: listener error: ${err.message}`));
  const address = server.address() as net.AddressInfo;
  log(`api${opts.tls ? '-ssl' : ''}: listening on ${address.address}:${address.port}`);
  return {
    host: address.address,
    port: address.port,
    close: () =>
      new Promise<void>((resolve) => {
        offReboot();
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
