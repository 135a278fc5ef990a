/**
 * A misbehaving RouterOS API server for tests (issue 18): it accepts the login like a router, then
 * answers the first command (or the login itself, `stage: 'login'`) with one attack. Every attack
 * that sends without end writes with backpressure, so the fixture itself stays small while the
 * client under test is the one that must protect its memory.
 *
 * Modes:
 *   huge-word          a word whose prefix announces `hugeWordBytes` (default 520 MiB), then its bytes
 *   endless-rows       `!re` rows for the command, never a `!done`
 *   endless-sentence   one `!re` sentence whose words never end it
 *   silent             accepts the command and never answers
 *   trickle            a correct reply, one byte every `intervalMs`
 *   reserved-prefix    a length prefix starting with a reserved byte (0xF8)
 *   fatal              `!fatal` with a reason, then closes
 *   close-mid-sentence half a reply, then closes
 */
import net from 'node:net';
import { encodeLength, encodeSentence, SentenceDecoder } from '../../routeros/codec';
import { parseSentence } from '../../routeros/sentence';

export const HOSTILE_MODES = [
  'huge-word',
  'endless-rows',
  'endless-sentence',
  'silent',
  'trickle',
  'reserved-prefix',
  'fatal',
  'close-mid-sentence',
] as const;
export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileOptions {
  mode: HostileMode;
  /** Attack the login reply instead of the first command after it. */
  stage?: 'login' | 'command';
  /** huge-word: the announced size (default 520 MiB). */
  hugeWordBytes?: number;
  /** trickle: pause between bytes (default 15 s, as measured in issue 18; tests use less). */
  intervalMs?: number;
  /** fatal: the reason word. */
  fatalReason?: string;
}

export interface HostileServer {
  port: number;
  /** Bytes the attacks wrote so far (all connections). */
  readonly bytesSent: number;
  /** Connections accepted so far. */
  readonly connections: number;
  close(): Promise<void>;
}

const CHUNK = 64 * 1024;

/** Resolves when the socket can take more (or is gone). */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.once('drain', done);
    socket.once('close', done);
  });
}

class Attack {
  bytes = 0;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly socket: net.Socket,
    private readonly opts: HostileOptions,
  ) {
    socket.once('close', () => clearTimeout(this.timer));
  }

  private write(buf: Buffer): boolean {
    this.bytes += buf.length;
    return this.socket.write(buf);
  }

  /** Writes `next()` forever, waiting whenever the client stops reading. */
  private async pump(next: () => Buffer): Promise<void> {
    while (!this.socket.destroyed && this.socket.writable) {
      if (!this.write(next())) await drained(this.socket);
    }
  }

  async run(tag: string): Promise<void> {
    const t = `.tag=${tag}`;
    switch (this.opts.mode) {
      case 'huge-word': {
        const n = this.opts.hugeWordBytes ?? 520 * 1024 * 1024;
        this.write(Buffer.concat([encodeSentence(['!re', t]).subarray(0, -1), encodeLength(n)]));
        const filler = Buffer.alloc(CHUNK, 0x78);
        let left = n;
        await this.pump(() => {
          const part = filler.subarray(0, Math.min(CHUNK, left));
          left -= part.length;
          if (left <= 0) this.socket.end();
          return part;
        });
        return;
      }
      case 'endless-rows': {
        const row = encodeSentence(['!re', t, '=.id=*1', '=name=row', `=comment=${'c'.repeat(100)}`]);
        const batch = Buffer.concat(Array.from({ length: Math.floor(CHUNK / row.length) }, () => row));
        return this.pump(() => batch);
      }
      case 'endless-sentence': {
        this.write(encodeSentence(['!re', t]).subarray(0, -1));
        const word = encodeSentence([`=x=${'y'.repeat(200)}`]).subarray(0, -1);
        const batch = Buffer.concat(Array.from({ length: Math.floor(CHUNK / word.length) }, () => word));
        return this.pump(() => batch);
      }
      case 'silent':
        return;
      case 'trickle':
        return this.trickle(encodeSentence(['!done', t]));
      case 'reserved-prefix':
        this.write(Buffer.from([0xf8, 0x00, 0x00, 0x00, 0x10, 0x21]));
        return;
      case 'fatal':
        this.write(encodeSentence(['!fatal', this.opts.fatalReason ?? 'hostile router says goodbye']));
        this.socket.end();
        return;
      case 'close-mid-sentence': {
        const reply = encodeSentence(['!re', t, '=name=half-a-row', '=comment=never finished']);
        this.write(reply.subarray(0, Math.floor(reply.length / 2)));
        this.socket.end();
        return;
      }
    }
  }

  private trickle(bytes: Buffer): void {
    let i = 0;
    const step = (): void => {
      if (this.socket.destroyed || i >= bytes.length) return;
      this.write(bytes.subarray(i, i + 1));
      i++;
      this.timer = setTimeout(step, this.opts.intervalMs ?? 15_000);
    };
    step();
  }
}

export async function startHostileServer(opts: HostileOptions): Promise<HostileServer> {
  const sockets = new Set<net.Socket>();
  const attacks: Attack[] = [];
  let connections = 0;
  const server = net.createServer((socket) => {
    connections++;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    const attack = new Attack(socket, opts);
    attacks.push(attack);
    const decoder = new SentenceDecoder();
    let attacked = false;
    socket.on('data', (chunk: Buffer) => {
      let sentences: string[][];
      try {
        sentences = decoder.push(chunk);
      } catch {
        socket.destroy();
        return;
      }
      for (const words of sentences) {
        const cmd = parseSentence(words);
        const tag = cmd.apiAttributes['tag'] ?? '';
        if (cmd.word === '/login' && opts.stage !== 'login') {
          socket.write(encodeSentence(['!done', `.tag=${tag}`]));
        } else if (!attacked) {
          attacked = true;
          void attack.run(tag);
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    get bytesSent() {
      return attacks.reduce((sum, a) => sum + a.bytes, 0);
    },
    get connections() {
      return connections;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}
