/**
 * Runs one logged-in command against the device: `print`/`getall`, `listen`, or any other verb.
 * Everything generic about the protocol (queries, .proplist, count-only, !empty, streaming) lives
 * here; the menus live in the device.
 */
import { ApiTrap, UnknownCommandError, type ApiDevice, type DeviceContext, type Row } from '../api-device';
import type { ParsedSentence } from '../../routeros/sentence';
import { applyProplist, compileQuery, proplistKeys } from './query';
import { idFirst, type ReplyWriter } from './reply';

/** A command that keeps running after its handler returns (a `listen`). */
export interface Running {
  writer: ReplyWriter;
  stop: () => void;
}

export interface CommandEnv {
  device: ApiDevice;
  ctx: DeviceContext;
  /** RouterOS >= 7.18 sends `!empty` before `!done` when a print has no rows. */
  emptyReplies: boolean;
  /** A Running that ends by itself (a long print sent in bursts) calls this when it sent `!done`. */
  finished?: (running: Running) => void;
}

/**
 * Rows per burst of a long print reply (issue 14; a fixture fix, see device/README.md): the demo used
 * to encode all 10,000 rows of the large scenario in one tick, so no byte left before the last row was
 * encoded and a client could not decode while the router was still sending, unlike a real router. A
 * longer reply now goes out in bursts with the event loop free between them.
 */
export const PRINT_BURST_ROWS = 500;
const FIRST_BURST_ROWS = 50;

/** `/ip/firewall/nat/print` → { menu: '/ip/firewall/nat', verb: 'print' }. */
export function splitCommand(word: string): { menu: string; verb: string } {
  const segments = word.startsWith('/') ? word.slice(1).split('/') : [];
  const verb = segments.pop();
  if (!verb || segments.some((s) => s === '')) {
    // Like RouterOS, the trap names one element, never the whole word (`//foo` → `(foo)`).
    throw new UnknownCommandError(word.split('/').find((s) => s !== '') ?? word);
  }
  return { menu: `/${segments.join('/')}`, verb };
}

/** `.proplist` comes as `=.proplist=` (the documented form); accept the API-attribute form too. */
function proplistOf(sentence: ParsedSentence): string | undefined {
  return sentence.attributes['.proplist'] ?? sentence.apiAttributes['proplist'];
}

const PROTOCOL_ATTRIBUTES = new Set(['.proplist', 'count-only', 'follow', 'follow-only']);

/** Attributes the device sees: the protocol-level ones are handled here. */
function deviceAttrs(sentence: ParsedSentence): Row {
  const attrs: Row = {};
  for (const [k, v] of Object.entries(sentence.attributes)) {
    if (!PROTOCOL_ATTRIBUTES.has(k)) attrs[k] = v;
  }
  return attrs;
}

/**
 * `print` (and `getall`). With `=follow=` it prints the rows and then streams changes like `listen`;
 * `=follow-only=` streams changes only (the console's `print follow` / `print follow-only`); both run
 * until `/cancel`.
 */
function print(menu: string, sentence: ParsedSentence, writer: ReplyWriter, env: CommandEnv): Running | undefined {
  const follow = sentence.attributes['follow'] !== undefined;
  if (sentence.attributes['follow-only'] !== undefined) return listen(menu, sentence, writer, env);
  // Compile first: a malformed query is refused before the device does any work.
  const matches = compileQuery(sentence.queries);
  const attrs = deviceAttrs(sentence);
  const source = env.device.printLazily?.(menu, attrs, env.ctx) ?? env.device.print(menu, attrs, env.ctx);
  if (sentence.attributes['count-only'] !== undefined && !follow) {
    let count = 0;
    for (const row of source) if (matches(row)) count++;
    writer.done(String(count));
    return undefined;
  }
  const proplist = proplistOf(sentence);
  // Split the .proplist once per print, not once per row.
  const keys = proplist === undefined ? undefined : proplistKeys(proplist);
  const send = (row: Row) => (keys ? writer.reKeys(row, keys) : writer.re(idFirst(row)));
  if (!follow) return inBursts(source[Symbol.iterator](), matches, send, writer, env);
  for (const row of source) if (matches(row)) send(row);
  return listen(menu, sentence, writer, env);
}

/**
 * Sends the matching rows PRINT_BURST_ROWS at a time, one burst per event-loop turn, then `!done`
 * (`!empty` first when none matched and the version says so). A short print ends in the first burst.
 */
function inBursts(
  rows: Iterator<Row>,
  matches: (row: Row) => boolean,
  send: (row: Row) => void,
  writer: ReplyWriter,
  env: CommandEnv,
): Running | undefined {
  let sent = 0;
  let timer: NodeJS.Immediate | null = null;
  const running: Running = {
    writer,
    stop: () => {
      if (timer) clearImmediate(timer);
      timer = null;
    },
  };
  // The first burst is small, so the first rows leave at once (a real router's do) while the code
  // that renders and encodes them is still cold.
  let size = FIRST_BURST_ROWS;
  /** Sends one burst; true when the rows ran out (`!done` sent). */
  const burst = (): boolean => {
    for (let n = 0; n < size;) {
      const next = rows.next();
      if (next.done) {
        timer = null;
        if (sent === 0 && env.emptyReplies) writer.empty();
        writer.done();
        return true;
      }
      if (!matches(next.value)) continue;
      send(next.value);
      sent++;
      n++;
    }
    size = PRINT_BURST_ROWS;
    timer = setImmediate(() => burst() && env.finished?.(running));
    return false;
  };
  return burst() ? undefined : running;
}

function listen(menu: string, sentence: ParsedSentence, writer: ReplyWriter, env: CommandEnv): Running {
  const proplist = proplistOf(sentence);
  const matches = compileQuery(sentence.queries);
  const stop = env.device.listen(menu, (row) => {
    // Removals always reach the client: a query cannot match a row that no longer exists.
    if (row['.dead'] !== undefined) writer.re(idFirst(row));
    else if (matches(row)) writer.re(applyProplist(idFirst(row), proplist));
  });
  return { writer, stop };
}

const READ_VERBS = new Set(['print', 'getall', 'listen', 'get']);

/**
 * The group policies a command needs (MikroTik "User" manual, group policies: `read` = commands that
 * do not alter the configuration, `write` = those that do, `reboot` = reboot the router, `policy` =
 * user management, "used together with write").
 */
export function requiredPolicies(menu: string, verb: string): readonly string[] {
  if (READ_VERBS.has(verb)) return ['read'];
  if (menu === '/system' && (verb === 'reboot' || verb === 'shutdown')) return ['reboot'];
  if (menu === '/user' || menu.startsWith('/user/')) return ['write', 'policy'];
  return ['write'];
}

/**
 * RouterOS's answer to a command the user's group does not allow, as API clients report it
 * (e.g. tomaae/homeassistant-mikrotik_router#235, socialwifi/RouterOS-api#109): the message only;
 * whether a real router adds a category is not confirmed, so none is sent (device/README.md).
 */
export const NOT_PERMITTED = 'not enough permissions (9)';

/** Runs the command; returns a Running for commands that stream until cancelled. */
export function runCommand(sentence: ParsedSentence, writer: ReplyWriter, env: CommandEnv): Running | undefined {
  const { menu, verb } = splitCommand(sentence.word);
  if (!requiredPolicies(menu, verb).every((p) => env.device.permits(env.ctx.user, p))) throw new ApiTrap(NOT_PERMITTED);
  switch (verb) {
    case 'print':
    case 'getall': // API-only alias of print (manual, "Command description")
      return print(menu, sentence, writer, env);
    case 'listen':
      return listen(menu, sentence, writer, env);
    default: {
      const { ret } = env.device.command(menu, verb, deviceAttrs(sentence), env.ctx);
      writer.done(ret);
      return undefined;
    }
  }
}
