/**
 * Evaluates RouterOS API query words against rows (MikroTik "API" manual, "Queries").
 *
 * Each word is evaluated for a row in order, on a stack of booleans that starts empty:
 *   ?name        pushes true if the row has a value for `name`
 *   ?-name       pushes true if the row has no value for `name`
 *   ?name=x      pushes true if `name` equals x (also the explicit form ?=name=x)
 *   ?<name=x     pushes true if `name` is less than x
 *   ?>name=x     pushes true if `name` is greater than x
 *   ?#ops        applies the operations left to right:
 *                  |  pops two values, pushes their OR
 *                  &  pops two values, pushes their AND
 *                  !  replaces the top value with its negation
 *                  .  pushes a copy of the top value
 *                  n  (decimal digits) pushes a copy of the value n places below the top (0 = top)
 * The row matches when every value left on the stack is true (an empty stack matches everything).
 * The manual's example `?type=ether ?type=vlan ?#|!` selects rows whose type is neither.
 */
import { ApiTrap, type Row } from '../api-device';

type Test = (row: Row) => boolean;
type Step = { kind: 'push'; test: Test } | { kind: 'ops'; ops: string };

/** Thrown for a query word the evaluator cannot understand; the session answers with a trap. */
export class QueryError extends ApiTrap {
  constructor(word: string, why: string) {
    // Not a confirmed RouterOS text: real routers answer malformed queries with a trap too, its
    // exact wording is not documented. Category 1 = argument value failure.
    super(`invalid query ${word}: ${why}`, 1);
    this.name = 'QueryError';
  }
}

/** Numbers compare numerically, RouterOS ids (`*1A`) by their hex value, anything else as text. */
function compareValues(a: string, b: string): number {
  const num = (s: string): number | undefined => {
    if (/^[-+]?\d+(\.\d+)?$/.test(s)) return Number(s);
    if (/^\*[0-9A-Fa-f]+$/.test(s)) return parseInt(s.slice(1), 16);
    return undefined;
  };
  const na = num(a);
  const nb = num(b);
  if (na !== undefined && nb !== undefined) return na - nb;
  return a < b ? -1 : a > b ? 1 : 0;
}

function splitNameValue(body: string, word: string): [string, string] {
  const eq = body.indexOf('=');
  if (eq <= 0) throw new QueryError(word, 'expected name=value');
  return [body.slice(0, eq), body.slice(eq + 1)];
}

function compileWord(word: string): Step {
  const body = word.slice(1);
  if (body.startsWith('#')) {
    const ops = body.slice(1);
    if (!/^(\d+|[|&!.])*$/.test(ops)) throw new QueryError(word, 'unknown stack operation');
    return { kind: 'ops', ops };
  }
  const first = body[0];
  if (first === '<' || first === '>') {
    const [name, value] = splitNameValue(body.slice(1), word);
    const sign = first === '<' ? -1 : 1;
    return {
      kind: 'push',
      test: (row) => {
        const v = row[name];
        return v !== undefined && Math.sign(compareValues(v, value)) === sign;
      },
    };
  }
  if (first === '=') {
    const [name, value] = splitNameValue(body.slice(1), word);
    return { kind: 'push', test: (row) => (row[name] ?? '') === value };
  }
  if (first === '-') {
    const name = body.slice(1);
    if (!name) throw new QueryError(word, 'expected a property name');
    return { kind: 'push', test: (row) => row[name] === undefined };
  }
  if (!body) throw new QueryError(word, 'expected a property name');
  const eq = body.indexOf('=');
  if (eq < 0) return { kind: 'push', test: (row) => row[body] !== undefined };
  const [name, value] = splitNameValue(body, word);
  return { kind: 'push', test: (row) => (row[name] ?? '') === value };
}

function pop(stack: boolean[], word: string): boolean {
  const v = stack.pop();
  if (v === undefined) throw new QueryError(word, 'stack underflow');
  return v;
}

function applyOps(stack: boolean[], ops: string, word: string): void {
  for (const token of ops.match(/\d+|./g) ?? []) {
    if (/^\d+$/.test(token)) {
      const v = stack[stack.length - 1 - Number(token)];
      if (v === undefined) throw new QueryError(word, 'stack index out of range');
      stack.push(v);
    } else if (token === '!') {
      stack.push(!pop(stack, word));
    } else if (token === '.') {
      const top = pop(stack, word);
      stack.push(top, top);
    } else {
      const b = pop(stack, word);
      const a = pop(stack, word);
      stack.push(token === '&' ? a && b : a || b);
    }
  }
}

/** Checks the stack depth statically so a bad `?#` is refused even when there are no rows. */
function checkDepth(steps: readonly Step[], words: readonly string[]): void {
  let depth = 0;
  steps.forEach((step, i) => {
    if (step.kind === 'push') {
      depth++;
      return;
    }
    for (const token of step.ops.match(/\d+|./g) ?? []) {
      const need = /^\d+$/.test(token) ? Number(token) + 1 : token === '&' || token === '|' ? 2 : 1;
      if (depth < need) throw new QueryError(words[i] ?? '', 'stack underflow');
      depth += token === '!' ? 0 : token === '&' || token === '|' ? -1 : 1;
    }
  });
}

/**
 * Compiles query words once; the returned predicate evaluates them per row. Throws QueryError for
 * words it cannot parse or whose stack operations would underflow.
 */
export function compileQuery(words: readonly string[]): (row: Row) => boolean {
  const steps = words.map(compileWord);
  checkDepth(steps, words);
  if (steps.length === 0) return () => true;
  return (row) => {
    const stack: boolean[] = [];
    steps.forEach((step, i) => {
      if (step.kind === 'push') stack.push(step.test(row));
      else applyOps(stack, step.ops, words[i] ?? '');
    });
    return stack.every(Boolean);
  };
}

/** The keys a `.proplist` value names, in order, without duplicates (a later one would not move). */
export function proplistKeys(proplist: string): string[] {
  return [...new Set(proplist.split(',').filter((k) => k !== ''))];
}

/** Keeps only the `.proplist` keys, in the order asked for, skipping absent ones. */
export function applyProplist(row: Row, proplist: string | undefined): Row {
  if (proplist === undefined) return row;
  const out: Row = {};
  for (const key of proplistKeys(proplist)) {
    const v = row[key];
    if (v !== undefined) out[key] = v;
  }
  return out;
}
