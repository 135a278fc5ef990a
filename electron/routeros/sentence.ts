/**
 * Splits a decoded sentence into its parts (MikroTik "API" manual, "API sentences"):
 * - the first word: a command (`/ip/address/print`) or a reply (`!re`, `!done`, `!trap`, `!fatal`,
 *   `!empty`);
 * - attribute words `=name=value` (the value may be empty or contain `=`);
 * - API attribute words `.name=value` (`.tag=5`);
 * - query words starting with `?` (kept verbatim and in order: their order matters);
 * - anything else (e.g. the bare reason word after `!fatal`) in `other`.
 */

export interface ParsedSentence {
  /** First word of the sentence. */
  word: string;
  attributes: Record<string, string>;
  apiAttributes: Record<string, string>;
  queries: string[];
  other: string[];
}

/** Splits `name=value` at the first `=`; a word without `=` is a name with an empty value. */
function splitPair(body: string): [string, string] {
  const eq = body.indexOf('=');
  return eq < 0 ? [body, ''] : [body.slice(0, eq), body.slice(eq + 1)];
}

export function parseSentence(words: readonly string[]): ParsedSentence {
  const parsed: ParsedSentence = {
    word: words[0] ?? '',
    // Null-prototype maps: a word such as `=__proto__=x` is plain data, not a prototype change.
    attributes: Object.create(null) as Record<string, string>,
    apiAttributes: Object.create(null) as Record<string, string>,
    queries: [],
    other: [],
  };
  for (const w of words.slice(1)) {
    if (w.startsWith('=')) {
      const [k, v] = splitPair(w.slice(1));
      parsed.attributes[k] = v;
    } else if (w.startsWith('.')) {
      const [k, v] = splitPair(w.slice(1));
      parsed.apiAttributes[k] = v;
    } else if (w.startsWith('?')) {
      parsed.queries.push(w);
    } else {
      parsed.other.push(w);
    }
  }
  return parsed;
}

/** Builds `=name=value` words, in the object's key order. */
export function attributeWords(attrs: Readonly<Record<string, string>>): string[] {
  return Object.entries(attrs).map(([k, v]) => `=${k}=${v}`);
}
