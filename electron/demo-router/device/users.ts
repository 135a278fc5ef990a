/**
 * `/user` and `/user/group`: every RouterOS has them (node-routeros's own integration suite reads
 * `/user/print`), and PortPilot's capability probe reads the logged-in user's group policy from them.
 *
 * The three system groups and their policies are RouterOS's defaults as MikroTik's "User" manual page
 * prints them (help.mikrotik.com/docs/display/ROS/User, "Default groups"; RouterOS 7 adds `rest-api`
 * to the policy list, the same page). A policy list names what is granted; `!x` says x is not.
 * Passwords are write-only on a router: they are kept beside the table, never printed.
 */
import type { Row } from '../api-device';
import { grantedPolicies } from '../../routeros/policy';
import type { TableSpec } from './schema';
import { bool, str } from './schema';
import type { Table } from './table';

const LOGIN = 'local,telnet,ssh';
const TAIL = 'test,winbox,password,web,sniff,sensitive,api,romon,rest-api';

/** RouterOS's system groups (cannot be deleted on a router; the demo does not refuse that). */
export const DEFAULT_GROUPS: ReadonlyArray<{ name: string; policy: string }> = [
  { name: 'read', policy: `${LOGIN},reboot,read,${TAIL},!ftp,!write,!policy` },
  { name: 'write', policy: `${LOGIN},reboot,read,write,${TAIL},!ftp,!policy` },
  { name: 'full', policy: `${LOGIN},ftp,reboot,read,write,policy,${TAIL}` },
];

/** The scenarios' read-only user (group `read`); it logs in with the demo's `--password`. */
export const READ_USER = 'monitor';

export const user: TableSpec = {
  path: '/user',
  persist: false,
  unique: [['name']],
  fields: {
    name: { ...str(), required: true },
    group: { ...str(), required: true },
    address: str(''),
    disabled: bool(false),
    comment: str(),
  },
};

export const userGroup: TableSpec = {
  path: '/user/group',
  persist: false,
  unique: [['name']],
  fields: {
    name: { ...str(), required: true },
    policy: str(''),
    skin: str('default'),
    comment: str(),
  },
};

/** The accounts of one device: the two tables plus the passwords that are never printed. */
export class Accounts {
  /** By row id, so a user renamed through the API (`/user/set name=`) keeps its password. */
  private readonly passwords = new Map<string, string>();

  constructor(
    private readonly users: Table,
    private readonly groups: Table,
  ) {
    for (const g of DEFAULT_GROUPS) groups.add({ ...g }, { trusted: true });
  }

  /** Adds `name` to `group`, or moves an existing `name` there; either way with this password. */
  setUser(name: string, group: string, password: string, comment = ''): void {
    const existing = this.users.all().find((r) => r['name'] === name);
    const id = existing?.['.id'] ?? this.users.add({ name, group, comment }, { trusted: true });
    if (existing) this.users.update(existing, { group });
    this.passwords.set(id, password);
  }

  /**
   * `/user add|set … password=x`: the password is taken out of the attributes (it is no printed field),
   * the verb runs, and the users it named get the password.
   */
  withPassword(verb: string, attrs: Row, run: (attrs: Row) => { ret?: string }): { ret?: string } {
    const { password, ...rest } = attrs;
    // Resolved before the verb runs: `set name=` may rename the very user it names.
    const named = password !== undefined && verb === 'set' ? this.targets(rest['.id'] ?? rest['numbers']) : [];
    const result = run(rest);
    if (password === undefined) return result;
    const rows = verb === 'add' ? this.targets(result.ret) : named;
    for (const row of rows) this.passwords.set(row['.id'] ?? '', password);
    return result;
  }

  private targets(ids: string | undefined): readonly Row[] {
    try {
      return this.users.targets(ids);
    } catch {
      return []; // the verb itself reports the missing item
    }
  }

  private enabled(name: string) {
    return this.users.all().find((r) => r['name'] === name && r['disabled'] !== 'true');
  }

  checkPassword(name: string, password: string): boolean {
    const id = this.enabled(name)?.['.id'];
    return id !== undefined && this.passwords.get(id) === password;
  }

  /** What `name`'s group grants; empty for an unknown or disabled user, or an unknown group. */
  policies(name: string): Set<string> {
    const group = this.enabled(name)?.['group'];
    const row = this.groups.all().find((g) => g['name'] === group);
    return grantedPolicies(row?.['policy'] ?? '');
  }
}
