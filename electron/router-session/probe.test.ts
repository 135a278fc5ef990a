import { describe, expect, it } from 'vitest';
import { RouterConnectionError, RouterTrapError } from './errors';
import type { Link, Row } from './link';
import { readUserPolicy } from './probe';

/** A link that answers each command with rows, or rejects with an error. */
function link(answers: Record<string, Row[] | Error>): Pick<Link, 'write'> & { sent: string[][] } {
  const sent: string[][] = [];
  return {
    sent,
    write: async (words: string[]) => {
      sent.push(words);
      const answer = answers[words[0] ?? ''] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
}

const read = (l: Pick<Link, 'write'>, user = 'monitor') => readUserPolicy(l as Link, user);

describe('readUserPolicy', () => {
  it('asks /user for the user’s group and /user/group for its policy, with queries', async () => {
    const l = link({
      '/user/print': [{ name: 'monitor', group: 'read' }],
      '/user/group/print': [{ name: 'read', policy: 'local,reboot,read,api,!ftp,!write,!policy' }],
    });
    expect(await read(l)).toEqual({
      user: 'monitor',
      group: 'read',
      read: true,
      write: false,
      reboot: true,
      api: true,
    });
    expect(l.sent).toEqual([
      ['/user/print', '?name=monitor', '=.proplist=name,group'],
      ['/user/group/print', '?name=read', '=.proplist=name,policy'],
    ]);
  });

  it('is null when the router will not say: a trap, a user not in /user (RADIUS), a group without a row', async () => {
    expect(
      await read(link({ '/user/print': new RouterTrapError(undefined, 'not enough permissions (9)') })),
    ).toBeNull();
    expect(await read(link({ '/user/print': [] }))).toBeNull();
    expect(
      await read(link({ '/user/print': [{ name: 'monitor', group: 'gone' }], '/user/group/print': [] })),
    ).toBeNull();
  });

  it('a lost link still fails the probe', async () => {
    const lost = new RouterConnectionError('closed', { host: 'r', port: 8728 });
    await expect(read(link({ '/user/print': lost }))).rejects.toBe(lost);
  });
});
