/** Field kinds of the menus and how attribute values are checked and normalised to wire form. */
import { ApiTrap, type Row } from '../api-device';
import { parseAddressSpec } from '../../net/ipv4';
import { parsePortSpec } from '../../routeros/port-spec';
import { formatDuration } from '../../routeros/duration';
import { parseBool, parseDurationField, parseIntField } from './values';

export type FieldKind =
  | { type: 'string' }
  | { type: 'bool' }
  | { type: 'int'; min: number; max: number }
  | { type: 'enum'; values: readonly string[] }
  /** Must name an existing interface (`input does not match any value of <field>` otherwise). */
  | { type: 'interface'; allowEmpty?: boolean }
  | { type: 'address' }
  | { type: 'ports' }
  | { type: 'duration' }
  | { type: 'mac' };

export interface FieldSpec {
  kind: FieldKind;
  default?: string;
  /** Printed but not settable (counters, status, dynamic). */
  readOnly?: boolean;
  required?: boolean;
}

export interface TableContext {
  interfaceExists(name: string): boolean;
  now(): number;
}

export interface TableSpec {
  path: string;
  fields: Record<string, FieldSpec>;
  singleton?: boolean;
  /** No add/remove through the API (resource, connection is handled apart). */
  readOnly?: boolean;
  unique?: string[][];
  /** Saved in the state file (configuration, not runtime state). */
  persist: boolean;
  hasDynamic?: boolean;
  /** Supports `move` and `place-before`. */
  ordered?: boolean;
  /** Cross-row checks; `others` are the other rows of the table. */
  check?: (row: Row, ctx: TableContext, others: readonly Row[]) => void;
  /** Print-time fields (uptime, last-seen) from the stored row and its hidden timestamps. */
  render?: (row: Row, ctx: TableContext, hidden: Record<string, number> | undefined) => Row;
}

const noMatch = (field: string): ApiTrap => new ApiTrap(`input does not match any value of ${field}`, 1);

export function normalizeValue(name: string, field: FieldSpec, value: string, ctx: TableContext): string {
  const kind = field.kind;
  switch (kind.type) {
    case 'string':
      return value;
    case 'bool':
      return parseBool(name, value) ? 'true' : 'false';
    case 'int':
      return String(parseIntField(name, value, kind.min, kind.max));
    case 'enum':
      if (!kind.values.includes(value)) throw noMatch(name);
      return value;
    case 'interface':
      if (value === '' && kind.allowEmpty) return value;
      if (!ctx.interfaceExists(value.replace(/^!/, ''))) throw noMatch(name);
      return value;
    case 'address':
      if (value !== '' && parseAddressSpec(value.replace(/^!/, '')) === null) throw noMatch(name);
      return value;
    case 'ports':
      if (value !== '' && parsePortSpec(value) === null) throw new ApiTrap(`invalid value for argument ${name}`, 1);
      return value;
    case 'duration':
      return formatDuration(parseDurationField(name, value));
    case 'mac':
      if (!/^([0-9A-Fa-f]{2}:){5}[0-9A-Fa-f]{2}$/.test(value)) throw noMatch(name);
      return value.toUpperCase();
  }
}

// Small builders keep the menu definitions readable.
export const str = (def?: string): FieldSpec => ({ kind: { type: 'string' }, default: def });
export const bool = (def?: boolean): FieldSpec => ({
  kind: { type: 'bool' },
  default: def === undefined ? undefined : def ? 'true' : 'false',
});
export const int = (min: number, max: number, def?: number): FieldSpec => ({
  kind: { type: 'int', min, max },
  default: def === undefined ? undefined : String(def),
});
export const oneOf = (values: readonly string[], def?: string): FieldSpec => ({
  kind: { type: 'enum', values },
  default: def,
});
export const iface = (opts: { required?: boolean; allowEmpty?: boolean } = {}): FieldSpec => ({
  kind: { type: 'interface', allowEmpty: opts.allowEmpty },
  required: opts.required,
});
export const addr = (required = false): FieldSpec => ({ kind: { type: 'address' }, required });
export const ports = (): FieldSpec => ({ kind: { type: 'ports' } });
export const duration = (def?: string): FieldSpec => ({ kind: { type: 'duration' }, default: def });
export const mac = (required = false): FieldSpec => ({ kind: { type: 'mac' }, required });
export const ro = (def?: string): FieldSpec => ({ kind: { type: 'string' }, default: def, readOnly: true });
