/**
 * Saved router profiles and their passwords. A saved password is bound to the host, port, transport,
 * user and pinned certificate it was saved for (issue 18): a call that changes any of them must bring
 * the password again, so a stored password never goes to another router.
 */
import { ContractError } from '../../../shared/contract/result';
import type { ProfileInput, ProfileView } from '../../../shared/domains/router';
import type { Profile } from '../../profiles';
import { routerLabel } from '../../core/router-link';
import type { ProfilesPort, SecretsPort } from './ports';

type Endpoint = Pick<Profile, 'host' | 'port' | 'transport' | 'user'>;

/** Same router, same account: the only case where a saved password may be sent. */
export const sameEndpoint = (a: Endpoint, b: Endpoint): boolean =>
  a.host.trim().toLowerCase() === b.host.trim().toLowerCase() &&
  a.port === b.port &&
  a.transport === b.transport &&
  a.user === b.user;

export class ProfileBook {
  constructor(
    private readonly profiles: ProfilesPort,
    private readonly secrets: SecretsPort,
  ) {}

  async list(): Promise<ProfileView[]> {
    return Promise.all((await this.profiles.list()).map((p) => this.view(p)));
  }

  async require(id: string): Promise<Profile> {
    const profile = await this.profiles.get(id);
    if (!profile) throw new ContractError('not-found', 'That profile no longer exists.');
    return profile;
  }

  async save(input: ProfileInput): Promise<ProfileView> {
    const { password, savePassword: wanted, ...fields } = input;
    // Where passwords cannot be kept safely (Linux without a keychain, issue 15) the profile asks each
    // time; the Connect screen says why (router:secretStorage `reason`).
    const savePassword = wanted && this.secrets.canSave;
    const before = fields.id ? await this.profiles.get(fields.id) : undefined;
    const saved = await this.profiles.save({ ...fields, passwordMode: savePassword ? 'saved' : 'ask' });
    // The store forgets the pinned certificate of a moved profile; its password goes too.
    const moved = before !== undefined && !sameEndpoint(before, saved);
    if (!savePassword || (moved && password === undefined)) await this.secrets.delete(saved.id);
    else if (password !== undefined) await this.secrets.set(saved.id, password);
    return this.view(saved);
  }

  async remove(id: string): Promise<void> {
    await this.require(id);
    await this.profiles.remove(id);
    await this.secrets.delete(id);
  }

  /**
   * The password for a connection to `to` on behalf of profile `profile`: the one given, else the
   * saved one — only when `to` is the endpoint it was saved for and its certificate is the pinned one.
   */
  async passwordFor(profile: Profile, to: Endpoint & { fingerprint: string | null }, given?: string): Promise<string> {
    if (given !== undefined) return given;
    // Trust on first use: accepting the first certificate of a profile with none pinned keeps its
    // password; a different certificate than the pinned one is another router as far as we know.
    const pinned = profile.pinnedFingerprint;
    const bound = sameEndpoint(profile, to) && (pinned === null || to.fingerprint === pinned);
    const saved = bound && profile.passwordMode === 'saved' ? await this.secrets.get(profile.id) : null;
    if (saved === null) {
      const why = bound
        ? ''
        : ' (the saved password is only sent to the router, account and certificate it was saved for)';
      throw new ContractError(
        'needs-password',
        `Enter the password for ${routerLabel(to.user, to.host, to.port)}${why}.`,
      );
    }
    return saved;
  }

  markUsed(id: string, pinnedFingerprint: string | null): Promise<void> {
    return this.profiles.update(id, { lastUsedAt: new Date().toISOString(), pinnedFingerprint });
  }

  private async view(profile: Profile): Promise<ProfileView> {
    const { passwordMode, ...rest } = profile;
    const hasSavedPassword = passwordMode === 'saved' && (await this.secrets.has(profile.id));
    return { ...rest, hasSavedPassword, builtIn: false };
  }
}
