/**
 * Saved router profiles, persisted as `DATA_FILES.profiles` in the config directory given to the
 * constructor (the app passes Electron's userData dir, web mode its own). Writes are atomic and
 * serialized; the file is validated with zod when read. A file that cannot be read as profiles is
 * moved aside (kept for the user, never silently overwritten) and reported in `warnings`.
 * The built-in demo profile is not stored here.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DataDir, moveAside, writeFileAtomic } from '../storage';
import {
  profilesFileSchema,
  validateInput,
  type FieldErrors,
  type Profile,
  type ProfileInput,
  type Validated,
} from './profile';

export interface ProfileStoreDeps {
  now?: () => Date;
  newId?: () => string;
}

export class ProfileStore {
  readonly path: string;
  /** Problems met while loading (e.g. a corrupt file moved aside); for the UI to show once. */
  readonly warnings: string[] = [];
  private profiles: Profile[] | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly now: () => Date;
  private readonly newId: () => string;

  constructor(
    readonly configDir: string,
    deps: ProfileStoreDeps = {},
  ) {
    this.path = new DataDir(configDir).path('profiles');
    this.now = deps.now ?? (() => new Date());
    this.newId = deps.newId ?? randomUUID;
  }

  /** Last used first; never-used profiles after, by name. */
  async list(): Promise<Profile[]> {
    return this.mutate((all) => ({ result: sortProfiles(all) }));
  }

  async get(id: string): Promise<Profile | undefined> {
    return this.mutate((all) => ({ result: all.find((p) => p.id === id) }));
  }

  async add(input: ProfileInput): Promise<Validated<Profile>> {
    return this.mutate<Validated<Profile>>((all) => {
      const v = validateInput(input);
      if (!v.ok) return { result: v };
      const dup = duplicateName(all, v.value.name, undefined);
      if (dup) return { result: { ok: false, errors: dup } };
      const profile: Profile = { id: this.newId(), ...v.value, pinnedFingerprint: null, lastUsedAt: null };
      return { next: [...all, profile], result: { ok: true, value: profile } };
    });
  }

  /**
   * Edits a profile. Changing host, port or transport forgets the pinned fingerprint: it belonged to
   * the old endpoint, and keeping it would refuse (or, worse, trust) the wrong certificate.
   */
  async update(id: string, input: ProfileInput): Promise<Validated<Profile>> {
    return this.mutate<Validated<Profile>>((all) => {
      const old = all.find((p) => p.id === id);
      if (!old) return { result: { ok: false, errors: { name: 'This profile no longer exists.' } } };
      const v = validateInput(input);
      if (!v.ok) return { result: v };
      const dup = duplicateName(all, v.value.name, id);
      if (dup) return { result: { ok: false, errors: dup } };
      const moved = old.host !== v.value.host || old.port !== v.value.port || old.transport !== v.value.transport;
      const next: Profile = { ...old, ...v.value, pinnedFingerprint: moved ? null : old.pinnedFingerprint };
      return { next: all.map((p) => (p.id === id ? next : p)), result: { ok: true, value: next } };
    });
  }

  async delete(id: string): Promise<boolean> {
    return this.mutate((all) => {
      const next = all.filter((p) => p.id !== id);
      return next.length === all.length ? { result: false } : { next, result: true };
    });
  }

  /** Records a successful connect (sort order of the Connect screen). */
  async markUsed(id: string): Promise<Profile | undefined> {
    return this.patch(id, { lastUsedAt: this.now().toISOString() });
  }

  /** Stores the fingerprint the user accepted (trust on first use), or null to forget it. */
  async setPinnedFingerprint(id: string, fingerprint: string | null): Promise<Profile | undefined> {
    return this.patch(id, { pinnedFingerprint: fingerprint });
  }

  private async patch(
    id: string,
    fields: Partial<Pick<Profile, 'lastUsedAt' | 'pinnedFingerprint'>>,
  ): Promise<Profile | undefined> {
    return this.mutate((all) => {
      const old = all.find((p) => p.id === id);
      if (!old) return { result: undefined };
      const next = { ...old, ...fields };
      return { next: all.map((p) => (p.id === id ? next : p)), result: next };
    });
  }

  /**
   * Runs one operation at a time (reads too, so a read never sees a half-loaded state): read the
   * current list, maybe write the next one, return a result.
   */
  private mutate<R>(change: (all: Profile[]) => { next?: Profile[]; result: R }): Promise<R> {
    const run = this.queue.then(async () => {
      const { next, result } = change(await this.load());
      if (next) {
        await writeFileAtomic(this.path, `${JSON.stringify({ version: 1, profiles: next }, null, 2)}\n`);
        this.profiles = next;
      }
      return result;
    });
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async load(): Promise<Profile[]> {
    if (this.profiles) return this.profiles;
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return (this.profiles = []);
      throw err;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = undefined;
    }
    const result = profilesFileSchema.safeParse(parsed);
    if (result.success) return (this.profiles = result.data.profiles);
    const aside = await moveAside(this.path, this.now());
    this.warnings.push(`The saved profiles could not be read and were moved to ${aside}; the list starts empty.`);
    return (this.profiles = []);
  }
}

function duplicateName(all: Profile[], name: string, exceptId: string | undefined): FieldErrors | undefined {
  const clash = all.find((p) => p.id !== exceptId && p.name.toLowerCase() === name.toLowerCase());
  return clash ? { name: `A profile named "${clash.name}" already exists.` } : undefined;
}

export function sortProfiles(profiles: readonly Profile[]): Profile[] {
  return [...profiles].sort((a, b) => {
    if (a.lastUsedAt && b.lastUsedAt) return b.lastUsedAt.localeCompare(a.lastUsedAt);
    if (a.lastUsedAt) return -1;
    if (b.lastUsedAt) return 1;
    return a.name.localeCompare(b.name);
  });
}
