/**
 * One RouterOS menu as a typed table: ids `*HEX` that only grow, add/set/remove/enable/disable/move/get/
 * unset with the real trap texts (routeros-facts.md, "Confirmed trap texts"), dynamic rows kept at the end
 * (the guide: "Dynamic rules created by UPnP ... appear at the end of the NAT table"), and listeners.
 *
 * Trap categories follow the API manual: 0 = missing item or command, 1 = argument value failure.
 * `failure: ...` texts carry no category here: captures of real routers show none we could confirm.
 */
import { ApiTrap, type Row } from '../api-device';
import { normalizeValue, type TableContext, type TableSpec } from './schema';
import { formatId, parseId } from './values';

type Listener = (row: Row) => void;

export interface AddOptions {
  dynamic?: boolean;
  /** Skip attribute validation: trusted internal callers building many rows (large scenario). */
  trusted?: boolean;
  placeBefore?: string;
}

export class Table {
  private rows: Row[] = [];
  private readonly byId = new Map<string, Row>();
  private nextId = 1;
  private readonly listeners = new Set<Listener>();
  private readonly lastEmit = new Map<string, number>();
  /** Hidden per-row state the device keeps (timestamps), never printed. */
  readonly hidden = new Map<string, Record<string, number>>();

  constructor(
    readonly spec: TableSpec,
    private readonly ctx: TableContext,
  ) {
    if (spec.singleton) this.rows = [this.defaults()];
  }

  get size(): number {
    return this.rows.length;
  }

  /** Raw rows in table order (shared objects: callers must not mutate without `update`). */
  all(): readonly Row[] {
    return this.rows;
  }

  find(id: string): Row | undefined {
    return this.byId.get(id);
  }

  /**
   * The rows as they are now, each rendered when it is read (issue 14: rendering all 10,000 rows of the
   * large scenario before the first was sent delayed the first row by ~40 ms). A row changed while they
   * are read is rendered with its new values; one removed meanwhile is still in the print.
   */
  *printLazily(): Generator<Row> {
    const rows = this.rows.slice();
    for (const row of rows) yield this.render(row);
  }

  /** Keys starting with `_` are the device's own bookkeeping and never printed. */
  render(row: Row): Row {
    const out: Row = {};
    if (row['.id'] !== undefined) out['.id'] = row['.id'];
    for (const k in row) if (k.charCodeAt(0) !== 95) out[k] = row[k] ?? '';
    return this.spec.render ? this.spec.render(out, this.ctx, this.hidden.get(row['.id'] ?? '')) : out;
  }

  singleton(): Row {
    const row = this.rows[0];
    if (!this.spec.singleton || !row) throw new Error(`${this.spec.path} is not a singleton`);
    return row;
  }

  add(attrs: Row, opts: AddOptions = {}): string {
    if (this.spec.singleton || (this.spec.readOnly && !opts.trusted)) throw new ApiTrap('no such command', 0);
    const row: Row = { ...this.defaults() };
    const clean = opts.trusted ? attrs : this.normalizeAll(attrs, true);
    Object.assign(row, clean);
    if (!opts.trusted) this.checkRequired(row);
    const id = formatId(this.nextId++);
    row['.id'] = id;
    if (this.spec.hasDynamic) row.dynamic = opts.dynamic ? 'true' : 'false';
    if (!opts.trusted) {
      this.checkUnique(row, undefined);
      this.spec.check?.(row, this.ctx, this.rows);
    }
    this.insert(row, opts);
    this.byId.set(id, row);
    this.emit(row);
    return id;
  }

  set(ids: string | undefined, attrs: Row): void {
    const targets = this.targets(ids);
    const clean = this.normalizeAll(attrs, false);
    for (const row of targets) {
      this.refuseDynamic(row, 'change');
      const next = { ...row, ...clean };
      this.checkUnique(next, row['.id']);
      this.spec.check?.(
        next,
        this.ctx,
        this.rows.filter((r) => r !== row),
      );
    }
    for (const row of targets) this.update(row, clean);
  }

  /**
   * Counter updates: stored at once, reported to listeners at most once per row per `everyMs`
   * (listen subscribers want live counters, not one sentence per packet).
   */
  touch(row: Row, values: Row, everyMs = 1000): void {
    Object.assign(row, values);
    const id = row['.id'] ?? '';
    const now = this.ctx.now();
    if (now - (this.lastEmit.get(id) ?? -Infinity) < everyMs) return;
    this.lastEmit.set(id, now);
    this.emit(row);
  }

  /** Internal update that bypasses validation (counters, status, scenario building). */
  update(row: Row, values: Row, quiet = false): void {
    Object.assign(row, values);
    if (!quiet) this.emit(row);
  }

  remove(ids: string, allowDynamic: boolean): Row[] {
    const targets = this.targets(ids);
    if (!allowDynamic) for (const row of targets) this.refuseDynamic(row, 'remove');
    for (const row of targets) this.drop(row);
    return targets;
  }

  /** Internal removal (mapping flush, reboot): no dynamic check. */
  drop(row: Row): void {
    const id = row['.id'] ?? '';
    if (!this.byId.delete(id)) return;
    const i = this.rows.indexOf(row);
    if (i >= 0) this.rows.splice(i, 1);
    this.hidden.delete(id);
    this.lastEmit.delete(id);
    for (const fn of this.listeners) fn({ '.id': id, '.dead': 'true' });
  }

  /** Bulk drop of many rows in one pass (reboot with 10,000 mappings). */
  dropWhere(pred: (row: Row) => boolean): Row[] {
    const gone = this.rows.filter(pred);
    if (gone.length === 0) return gone;
    const goneSet = new Set(gone);
    this.rows = this.rows.filter((r) => !goneSet.has(r));
    for (const row of gone) {
      const id = row['.id'] ?? '';
      this.byId.delete(id);
      this.hidden.delete(id);
      this.lastEmit.delete(id);
      for (const fn of this.listeners) fn({ '.id': id, '.dead': 'true' });
    }
    return gone;
  }

  setDisabled(ids: string, disabled: boolean): void {
    if (!('disabled' in this.spec.fields)) throw new ApiTrap('no such command', 0);
    const targets = this.targets(ids);
    for (const row of targets) this.refuseDynamic(row, 'change');
    for (const row of targets) this.update(row, { disabled: disabled ? 'true' : 'false' });
  }

  get(id: string | undefined, name: string): string {
    const [row] = this.targets(id);
    if (!row) throw new ApiTrap('no such item', 0);
    const rendered = this.render(row);
    const value = rendered[name];
    if (value === undefined) {
      if (name in this.spec.fields) return '';
      throw new ApiTrap(`unknown parameter ${name}`, 1);
    }
    return value;
  }

  unset(ids: string | undefined, name: string): void {
    const field = this.spec.fields[name];
    if (!field || field.readOnly) throw new ApiTrap(`unknown parameter ${name}`, 1);
    for (const row of this.targets(ids)) {
      this.refuseDynamic(row, 'change');
      const next: Row = { ...row };
      delete next[name];
      if (field.default !== undefined) next[name] = field.default;
      this.rows[this.rows.indexOf(row)] = next;
      this.byId.set(next['.id'] ?? '', next);
      this.emit(next);
    }
  }

  /** `move numbers=*3 destination=*1`: before destination; no destination = to the end of static rows. */
  move(ids: string, destination: string | undefined): void {
    if (!this.spec.ordered) throw new ApiTrap('no such command', 0);
    const targets = this.targets(ids);
    for (const row of targets) this.refuseDynamic(row, 'move');
    const dest = destination ? this.targets(destination)[0] : undefined;
    this.rows = this.rows.filter((r) => !targets.includes(r));
    const at = dest ? this.rows.indexOf(dest) : this.firstDynamicIndex();
    this.rows.splice(at, 0, ...targets);
    for (const row of targets) this.emit(row);
  }

  listen(fn: Listener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  emit(row: Row): void {
    if (this.listeners.size === 0) return;
    const rendered = this.render(row);
    for (const fn of this.listeners) fn(rendered);
  }

  /** Config rows for the state file: everything static, with the id counter. */
  exportRows(): { nextId: number; rows: Row[] } {
    const rows = this.rows.filter((r) => r.dynamic !== 'true').map((r) => ({ ...r }));
    return { nextId: this.nextId, rows };
  }

  importRows(data: { nextId: number; rows: Row[] }): void {
    const keep = this.spec.singleton ? [] : this.rows.filter((r) => r.dynamic === 'true');
    const rows = data.rows.map((r) => ({ ...this.defaults(), ...r }));
    this.rows = [...rows, ...keep];
    this.byId.clear();
    for (const r of this.rows) if (r['.id']) this.byId.set(r['.id'], r);
    this.nextId = Math.max(this.nextId, data.nextId);
  }

  /** Resolves `.id` lists (`*1,*2`). Singletons take no id. */
  targets(ids: string | undefined): Row[] {
    if (this.spec.singleton) return [this.singleton()];
    if (ids === undefined || ids === '') throw new ApiTrap('no such item', 0);
    return ids.split(',').map((id) => {
      const row = this.byId.get(id) ?? (parseId(id) === null ? this.byName(id) : undefined);
      if (!row) throw new ApiTrap('no such item', 0);
      return row;
    });
  }

  /** Items that have a name (interfaces, bridges) can be addressed by it, as on the console. */
  private byName(name: string): Row | undefined {
    return 'name' in this.spec.fields ? this.rows.find((r) => r.name === name) : undefined;
  }

  private refuseDynamic(row: Row, what: 'change' | 'remove' | 'move'): void {
    if (row.dynamic === 'true') throw new ApiTrap(`failure: cannot ${what} dynamic entry`);
  }

  private insert(row: Row, opts: AddOptions): void {
    let at = opts.dynamic ? this.rows.length : this.firstDynamicIndex();
    if (!opts.dynamic && opts.placeBefore) at = this.placeBeforeIndex(opts.placeBefore);
    if (at >= this.rows.length) this.rows.push(row);
    else this.rows.splice(at, 0, row);
  }

  /** `place-before` takes an id or a position number (the guide's `place-before=0`). */
  private placeBeforeIndex(value: string): number {
    if (/^\d+$/.test(value)) return Math.min(Number(value), this.firstDynamicIndex());
    const dest = this.byId.get(value);
    if (!dest) throw new ApiTrap('no such item', 0);
    return this.rows.indexOf(dest);
  }

  private firstDynamicIndex(): number {
    if (!this.spec.hasDynamic) return this.rows.length;
    const i = this.rows.findIndex((r) => r.dynamic === 'true');
    return i < 0 ? this.rows.length : i;
  }

  private defaults(): Row {
    const row: Row = {};
    for (const [name, f] of Object.entries(this.spec.fields)) if (f.default !== undefined) row[name] = f.default;
    return row;
  }

  private normalizeAll(attrs: Row, adding: boolean): Row {
    const out: Row = {};
    for (const [name, value] of Object.entries(attrs)) {
      if (name === '.id' || name === 'numbers' || name === '.tag') continue;
      if (adding && name === 'place-before' && this.spec.ordered) continue;
      const field = this.spec.fields[name];
      if (!field || field.readOnly) throw new ApiTrap(`unknown parameter ${name}`, 1);
      out[name] = normalizeValue(name, field, value, this.ctx);
    }
    return out;
  }

  private checkRequired(row: Row): void {
    for (const [name, f] of Object.entries(this.spec.fields)) {
      if (f.required && (row[name] === undefined || row[name] === '')) {
        throw new ApiTrap(`failure: ${name} not specified`);
      }
    }
  }

  private checkUnique(row: Row, selfId: string | undefined): void {
    for (const key of this.spec.unique ?? []) {
      const clash = this.rows.some(
        (r) => r['.id'] !== selfId && r.dynamic !== 'true' && key.every((k) => (r[k] ?? '') === (row[k] ?? '')),
      );
      if (clash) throw new ApiTrap('failure: already have such entry');
    }
  }
}
