/**
 * Builds the reply sentences of the RouterOS API (MikroTik "API" manual, "Replies"): `!re` rows,
 * `!done` (optionally with `=ret=`), `!trap` with `=category=`/`=message=`, `!empty` (RouterOS 7.18+)
 * and `!fatal` with its bare reason word. A tagged command gets `.tag=<tag>` on every reply sentence,
 * right after the reply word, as real routers send it (librouteros docs/api_analysis.rst transcripts).
 */
import { encodeSentence } from '../../routeros/codec';
import { attributeWords } from '../../routeros/sentence';
import type { Row } from '../api-device';

export type Writer = (sentence: Buffer) => void;

/** Writes the replies of one command; `tag` is undefined for an untagged command. */
export class ReplyWriter {
  constructor(
    private readonly write: Writer,
    readonly tag: string | undefined,
  ) {}

  private send(word: string, attrs: Row = {}): void {
    const tagWords = this.tag === undefined ? [] : [`.tag=${this.tag}`];
    this.write(encodeSentence([word, ...tagWords, ...attributeWords(attrs)]));
  }

  re(row: Row): void {
    this.send('!re', row);
  }

  /**
   * A `!re` with only `keys` of the row, in that order, absent ones skipped: the `.proplist` reply
   * (same words as `re(applyProplist(row, keys.join(',')))`) without an intermediate object per row,
   * which matters for a 10,000-row print.
   */
  reKeys(row: Row, keys: readonly string[]): void {
    const words = this.tag === undefined ? ['!re'] : ['!re', `.tag=${this.tag}`];
    for (const key of keys) {
      const v = row[key];
      if (v !== undefined) words.push(`=${key}=${v}`);
    }
    this.write(encodeSentence(words));
  }

  done(ret?: string): void {
    this.send('!done', ret === undefined ? {} : { ret });
  }

  trap(message: string, category?: number): void {
    this.send('!trap', category === undefined ? { message } : { category: String(category), message });
  }

  empty(): void {
    this.send('!empty');
  }
}

/** `!fatal` carries its reason as a bare word and no tag; the connection closes after it. */
export function fatalSentence(reason: string): Buffer {
  return encodeSentence(['!fatal', reason]);
}

/** Puts `.id` first, as RouterOS prints it, keeping the other keys in their order. */
export function idFirst(row: Row): Row {
  const id = row['.id'];
  if (id === undefined) return row;
  const { ['.id']: _id, ...rest } = row;
  return { '.id': id, ...rest };
}
