/**
 * One step against the router: is its effect already present (check), send it, and the inverse
 * computed from the state just before sending (prior values of a set, the id of an added row, the
 * fields and position of a removed row, the old position of a moved row).
 */
import type { RouterPort } from '../core/router-port';
import { findIn, matches, nextId, norm, settable, staticRows, type IdMap } from './rows';
import type { StepOp } from './types';

export class StepError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StepError';
  }
}

/** True when the router already has the effect of `op` (the step is then skipped as "already done"). */
export async function isDone(router: RouterPort, op: StepOp, ids?: IdMap): Promise<boolean> {
  const singleton = op.verb === 'set' && op.find === null;
  const rows = singleton ? await router.print(op.menu) : await staticRows(router, op.menu);
  switch (op.verb) {
    case 'set': {
      const row = op.find ? findIn(rows, op.find, ids) : rows[0];
      return !!row && Object.entries(op.attrs).every(([k, v]) => norm(row[k]) === norm(v));
    }
    case 'add':
      return rows.some((r) => matches(r, op.attrs));
    case 'remove':
      return !findIn(rows, op.find, ids);
    case 'move': {
      const row = findIn(rows, op.find, ids);
      if (!row) return false;
      const after = nextId(rows, row['.id'] ?? '');
      if (!op.before) return after === null;
      const before = findIn(rows, op.before, ids);
      return !!before && after === before['.id'];
    }
  }
}

/** The inverse as far as it can be known before sending (an add's id is filled in afterwards). */
export async function prepareInverse(router: RouterPort, op: StepOp, ids?: IdMap): Promise<StepOp> {
  if (op.verb === 'add') return { verb: 'remove', menu: op.menu, find: { match: op.attrs } };
  if (op.verb === 'set' && op.find === null) {
    const row = (await router.print(op.menu))[0] ?? {};
    return { verb: 'set', menu: op.menu, find: null, attrs: prior(row, op.attrs) };
  }
  const find = op.find ?? {};
  const rows = await staticRows(router, op.menu);
  const row = findIn(rows, find, ids);
  if (!row) throw new StepError(`no such item in ${op.menu} (${JSON.stringify(find)})`);
  const id = row['.id'] ?? '';
  const after = nextId(rows, id);
  switch (op.verb) {
    case 'set':
      return { verb: 'set', menu: op.menu, find: { id }, attrs: prior(row, op.attrs) };
    case 'remove':
      return {
        verb: 'add',
        menu: op.menu,
        attrs: settable(row),
        restores: id,
        ...(after ? { before: { id: after } } : {}),
      };
    case 'move':
      return { verb: 'move', menu: op.menu, find: { id }, before: after ? { id: after } : null };
  }
}

const prior = (row: Record<string, string>, attrs: Record<string, string>): Record<string, string> =>
  Object.fromEntries(Object.keys(attrs).map((k) => [k, row[k] ?? '']));

async function resolveId(
  router: RouterPort,
  menu: string,
  find: { id?: string; match?: Record<string, string> },
  ids?: IdMap,
): Promise<string> {
  const row = findIn(await staticRows(router, menu), find, ids);
  if (!row?.['.id']) throw new StepError(`no such item in ${menu} (${JSON.stringify(find)})`);
  return row['.id'];
}

/** Sends the operation. Returns the new row id for an add. */
export async function send(router: RouterPort, op: StepOp, ids?: IdMap): Promise<string | undefined> {
  switch (op.verb) {
    case 'set': {
      const id = op.find ? await resolveId(router, op.menu, op.find, ids) : null;
      await router.set(op.menu, id, op.attrs);
      return undefined;
    }
    case 'add': {
      const attrs = { ...op.attrs };
      if (op.before) {
        const before = findIn(await staticRows(router, op.menu), op.before, ids);
        // A vanished anchor (removed since) only costs the position, not the row.
        if (before?.['.id']) attrs['place-before'] = before['.id'];
      }
      const id = await router.add(op.menu, attrs);
      if (op.restores && ids) ids.set(op.restores, id);
      return id;
    }
    case 'remove': {
      const id = await resolveId(router, op.menu, op.find, ids);
      await router.remove(op.menu, [id]);
      return undefined;
    }
    case 'move': {
      const id = await resolveId(router, op.menu, op.find, ids);
      const destination = op.before ? await resolveId(router, op.menu, op.before, ids) : undefined;
      await router.command(op.menu, 'move', { numbers: id, ...(destination ? { destination } : {}) });
      return undefined;
    }
  }
}
