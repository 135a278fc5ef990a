/** Row validation at the boundary: RouterOS rows (all strings) → typed models, or a ValidationError. */
import type { z } from 'zod';
import { ValidationError } from './errors';

export type RowSchema = z.ZodType<unknown, Record<string, string>>;

export function parseRow<S extends z.ZodType>(menu: string, schema: S, row: Record<string, string>): z.output<S> {
  const result = schema.safeParse(row);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue && issue.path.length > 0 ? issue.path.join('.') : '(row)';
  const id = row['.id'] ? ` ${row['.id']}` : '';
  throw new ValidationError(`${menu}${id} ${field}`, issue?.message ?? 'invalid row');
}

export function parseRows<S extends z.ZodType>(menu: string, schema: S, rows: Record<string, string>[]): z.output<S>[] {
  return rows.map((r) => parseRow(menu, schema, r));
}

const MENU = /^\/[a-z0-9-]+(\/[a-z0-9-]+)*$/;
const ATTR = /^\.?[a-z0-9][a-z0-9\-_.]*$/i;

export function checkMenu(menu: string): string {
  if (!MENU.test(menu)) throw new ValidationError('menu', `not a RouterOS menu path: ${JSON.stringify(menu)}`);
  return menu;
}

export function checkVerb(verb: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(verb))
    throw new ValidationError('verb', `not a RouterOS command: ${JSON.stringify(verb)}`);
  return verb;
}

export type AttrValue = string | number | boolean;

/** `{ enabled: true, comment: 'x' }` → `=enabled=yes`, `=comment=x` (input accepts yes/no). */
export function attributeWords(attrs: Readonly<Record<string, AttrValue>>): string[] {
  return Object.entries(attrs).map(([k, v]) => {
    if (!ATTR.test(k)) throw new ValidationError(k, 'not a RouterOS property name');
    const value = typeof v === 'boolean' ? (v ? 'yes' : 'no') : String(v);
    return `=${k}=${value}`;
  });
}
