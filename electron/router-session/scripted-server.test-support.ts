/**
 * A tiny scripted RouterOS API peer for conditions the demo router cannot produce (a `.tag` placed
 * last, replies cut into one-byte TCP chunks, a router that stops answering). It speaks the wire
 * format through the project's codec; the script decides what each command gets.
 */
import net from 'node:net';
import { encodeSentence, SentenceDecoder } from '../routeros/codec';
import { parseSentence, type ParsedSentence } from '../routeros/sentence';

export interface ScriptedConnection {
  socket: net.Socket;
  /** Sends one sentence, either whole or one byte per TCP write (to split words and prefixes). */
  send(words: (string | Buffer)[], opts?: { byteByByte?: boolean }): Promise<void>;
}

export type Script = (cmd: ParsedSentence, conn: ScriptedConnection) => void | Promise<void>;

export interface ScriptedServer {
  port: number;
  connections: Set<net.Socket>;
  close(): Promise<void>;
}

const pause = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export async function startScriptedServer(script: Script): Promise<ScriptedServer> {
  const connections = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    connections.add(socket);
    socket.on('close', () => connections.delete(socket));
    socket.on('error', () => undefined);
    socket.setNoDelay(true);
    const decoder = new SentenceDecoder();
    const conn: ScriptedConnection = {
      socket,
      async send(words, opts) {
        const bytes = encodeSentence(words);
        if (!opts?.byteByByte) {
          socket.write(bytes);
          return;
        }
        for (const b of bytes) {
          if (socket.destroyed) return;
          socket.write(Buffer.from([b]));
          await pause(1);
        }
      },
    };
    socket.on('data', (chunk: Buffer) => {
      for (const words of decoder.push(chunk)) void script(parseSentence(words), conn);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    connections,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of connections) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Accepts any `/login` with `!done`, the tag placed last (as some RouterOS versions do). */
export async function acceptLogin(cmd: ParsedSentence, conn: ScriptedConnection): Promise<boolean> {
  if (cmd.word !== '/login') return false;
  await conn.send(['!done', `.tag=${cmd.apiAttributes['tag'] ?? ''}`]);
  return true;
}
