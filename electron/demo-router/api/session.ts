/**
 * One API connection's state machine: not logged in → logged in → closed.
 *
 * - `/login =name= =password=` is the post-6.43 form; failure is `!trap =message=cannot log in` then
 *   `!done` (librouteros docs/api_analysis.rst, "Failed login attempt"). A user whose group lacks the
 *   `api` policy is refused the same way (what a real router sends then is unconfirmed: device/README.md).
 * - Before login every other command gets `!trap =message=not logged in` + `!done`. The manual
 *   ("API sentences") says the number and size of sentences before login is limited, and "API command
 *   notes" lists "too many commands are sent to router prior login" as a `!fatal` cause: after
 *   PRE_LOGIN_SENTENCE_LIMIT sentences without a successful login the session gets `!fatal`.
 * - `/quit` → `!fatal session terminated on request` and close (api_analysis.rst, "Logging off").
 * - Commands run as they arrive; `listen` registers a subscription and returns, so other commands
 *   keep running on the same connection (manual, "/cancel, simultaneous commands").
 */
import { ApiTrap, UnknownCommandError, type ApiDevice, type DeviceContext } from '../api-device';
import { parseSentence, type ParsedSentence } from '../../routeros/sentence';
import { ReplyWriter, fatalSentence, type Writer } from './reply';
import { runCommand, type Running } from './commands';

export const PRE_LOGIN_SENTENCE_LIMIT = 16;
/** Streaming commands (listen, print follow, a long print still sending) one session may have running at once. */
export const MAX_RUNNING_COMMANDS = 256;

export interface SessionPorts {
  device: ApiDevice;
  remoteAddress: string;
  emptyReplies: boolean;
  /** Queue bytes on the connection. */
  write: Writer;
  /** Called once a login succeeds (the server lifts the pre-login size limits). */
  onLogin?: () => void;
  /** Flush what was written, then close the connection. */
  end: () => void;
  log: (line: string) => void;
}

export class ApiSession {
  private user: string | undefined;
  private preLoginSentences = 0;
  private readonly running = new Set<Running>();
  private closed = false;

  constructor(private readonly ports: SessionPorts) {}

  get isClosed(): boolean {
    return this.closed;
  }

  /** Number of commands still running (listens); used by tests and for bounded memory checks. */
  get runningCount(): number {
    return this.running.size;
  }

  handle(words: string[]): void {
    if (this.closed) return;
    const sentence = parseSentence(words);
    const writer = new ReplyWriter(this.guardedWrite, sentence.apiAttributes['tag']);
    try {
      this.dispatch(sentence, writer);
    } catch (err) {
      this.replyError(err, writer, sentence.word);
    }
  }

  private dispatch(sentence: ParsedSentence, writer: ReplyWriter): void {
    if (sentence.word === '/quit') return this.fatal('session terminated on request');
    if (sentence.word === '/login') return this.login(sentence, writer);
    if (this.user === undefined) return this.refuseBeforeLogin(writer);
    if (sentence.word === '/cancel') return this.cancel(sentence.attributes['tag'], writer);
    const ctx: DeviceContext = { user: this.user, remoteAddress: this.ports.remoteAddress };
    const running = runCommand(sentence, writer, {
      device: this.ports.device,
      ctx,
      emptyReplies: this.ports.emptyReplies,
      finished: (r) => this.running.delete(r),
    });
    if (!running) return;
    if (this.running.size >= MAX_RUNNING_COMMANDS) {
      // Keeps a session's memory bounded; real routers' limit is not documented.
      running.stop();
      writer.trap(`failure: more than ${MAX_RUNNING_COMMANDS} commands running in this session`, 5);
      writer.done();
      return;
    }
    this.running.add(running);
  }

  /** Sends `!fatal <reason>` and closes; running commands are dropped without further replies. */
  fatal(reason: string): void {
    if (this.closed) return;
    this.ports.write(fatalSentence(reason));
    this.dispose();
    this.ports.end();
  }

  /** Stops every subscription; called on close, fatal and connection loss. */
  dispose(): void {
    this.closed = true;
    for (const cmd of this.running) cmd.stop();
    this.running.clear();
  }

  private readonly guardedWrite: Writer = (bytes) => {
    if (!this.closed) this.ports.write(bytes);
  };

  private login(sentence: ParsedSentence, writer: ReplyWriter): void {
    const name = sentence.attributes['name'];
    const password = sentence.attributes['password'] ?? '';
    const { device } = this.ports;
    if (name !== undefined && name !== '' && device.login(name, password) && device.permits(name, 'api')) {
      this.user = name;
      this.ports.onLogin?.();
      this.ports.log(`api: user ${name} logged in from ${this.ports.remoteAddress}`);
      writer.done();
      return;
    }
    this.ports.log(`api: login failure for user ${name ?? ''} from ${this.ports.remoteAddress}`);
    writer.trap('cannot log in');
    writer.done();
    this.countPreLogin();
  }

  private refuseBeforeLogin(writer: ReplyWriter): void {
    writer.trap('not logged in');
    writer.done();
    this.countPreLogin();
  }

  private countPreLogin(): void {
    if (this.user !== undefined) return;
    this.preLoginSentences++;
    if (this.preLoginSentences >= PRE_LOGIN_SENTENCE_LIMIT) this.fatal('too many commands before login');
  }

  /**
   * `/cancel =tag=X` (or every running command without `=tag=`): the cancelled command gets
   * `!trap =category=2 =message=interrupted`, the cancel its `!done`, then the cancelled command its
   * `!done` (api_analysis.rst, "Canceling listen"). Cancelling a tag that is not running answers a
   * plain `!done`: what real routers send here is not documented; an idempotent cancel never strands
   * a client.
   */
  private cancel(tag: string | undefined, writer: ReplyWriter): void {
    const victims = [...this.running].filter((c) => tag === undefined || c.writer.tag === tag);
    for (const cmd of victims) {
      cmd.stop();
      this.running.delete(cmd);
      cmd.writer.trap('interrupted', 2);
    }
    writer.done();
    for (const cmd of victims) cmd.writer.done();
  }

  private replyError(err: unknown, writer: ReplyWriter, command: string): void {
    if (err instanceof UnknownCommandError) {
      // What real RouterOS sends for an unknown path (routeros-facts.md, "Unknown command").
      writer.trap(err.message, 0);
      writer.trap('no such command prefix');
    } else if (err instanceof ApiTrap) {
      writer.trap(err.message, err.category);
    } else {
      const detail = err instanceof Error ? (err.stack ?? err.message) : String(err);
      this.ports.log(`api: internal error in ${command}: ${detail}`);
      writer.trap(`failure: internal error in ${command}`, 4);
    }
    writer.done();
  }
}
