/**
 * A small typed builder for RouterOS API queries (MikroTik "API" manual, "Queries"). A query is a
 * postfix program over a stack: each term pushes one boolean, `?#|` / `?#&` pop two and push the
 * result, `?#!` negates the top; the print returns rows for which the AND of the stack holds.
 * Each `Query` here pushes exactly one value, so they compose safely.
 */
import { ValidationError } from './errors';

export type Query = readonly string[];

const NAME = /^[a-z0-9.][a-z0-9.\-_]*$/i;

function name(n: string): string {
  if (!NAME.test(n)) throw new ValidationError('query', `not a property name: ${JSON.stringify(n)}`);
  return n;
}

export const q = {
  /** `?name=value`: property equals value (exact string compare). */
  eq: (prop: string, value: string): Query => [`?${name(prop)}=${value}`],
  /** `?name`: the property has a value. */
  has: (prop: string): Query => [`?${name(prop)}`],
  /** `?-name`: the property has no value. */
  missing: (prop: string): Query => [`?-${name(prop)}`],
  /** `?<name=value` */
  lt: (prop: string, value: string): Query => [`?<${name(prop)}=${value}`],
  /** `?>name=value` */
  gt: (prop: string, value: string): Query => [`?>${name(prop)}=${value}`],
  not: (query: Query): Query => [...query, '?#!'],
  or: (...queries: Query[]): Query => combine(queries, '?#|'),
  and: (...queries: Query[]): Query => combine(queries, '?#&'),
};

function combine(queries: Query[], op: string): Query {
  if (queries.length === 0) throw new ValidationError('query', 'needs at least one term');
  const words = queries.flat();
  for (let i = 1; i < queries.length; i++) words.push(op);
  return words;
}

/** Checks raw query words (callers may pass their own): each must start with `?`. */
export function checkQueryWords(words: readonly string[]): string[] {
  for (const w of words) {
    if (!w.startsWith('?')) throw new ValidationError('query', `query words start with "?": ${JSON.stringify(w)}`);
  }
  return [...words];
}
