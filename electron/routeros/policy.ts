/**
 * RouterOS group policy lists (`/user/group` `policy`): comma-separated names, `!name` for one that is
 * not granted (MikroTik "User" manual, "Default groups": `read,…,!ftp,!write,!policy`). One reader for
 * the demo router's permission checks and the capability probe.
 */

/** The policies a list grants: `read,!write, api` → {read, api}. */
export function grantedPolicies(policy: string): Set<string> {
  return new Set(
    policy
      .split(',')
      .map((p) => p.trim())
      .filter((p) => p !== '' && !p.startsWith('!')),
  );
}
