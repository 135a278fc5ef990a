import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiServer } from './server';
import { FakeDevice, WireClient, waitFor } from './test-support';
import type { RunningServer } from '../api-device';
import { MAX_RUNNING_COMMANDS } from './session';

let device: FakeDevice;
let server: RunningServer;
const clients: WireClient[] = [];

async function loggedIn(): Promise<WireClient> {
  const c = await WireClient.connect(server.port);
  clients.push(c);
  expect(await c.login()).toEqual([['!done']]);
  return c;
}

/** Lets the server process what was sent. */
const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 50));

beforeEach(async () => {
  device = new FakeDevice();
  server = await startApiServer({ device, host: '127.0.0.1', port: 0 });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('listen and cancel', () => {
  it('streams changes, then interrupted / cancel done / listen done, exactly as RouterOS', async () => {
    const c = await loggedIn();
    c.send('/ip/firewall/nat/listen', '.tag=10');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    // Commands run concurrently: the listen does not block an add on the same connection.
    c.send('/ip/firewall/nat/add', '=chain=dstnat', '.tag=11');
    expect(await c.next()).toEqual(['!re', '.tag=10', '=.id=*10', '=chain=dstnat']);
    expect(await c.next()).toEqual(['!done', '.tag=11', '=ret=*10']);
    c.send('/ip/firewall/nat/remove', '=.id=*10', '.tag=12');
    expect(await c.next()).toEqual(['!re', '.tag=10', '=.id=*10', '=.dead=true']);
    expect(await c.next()).toEqual(['!done', '.tag=12']);

    c.send('/cancel', '=tag=10', '.tag=20');
    expect(await c.next()).toEqual(['!trap', '.tag=10', '=category=2', '=message=interrupted']);
    expect(await c.next()).toEqual(['!done', '.tag=20']);
    expect(await c.next()).toEqual(['!done', '.tag=10']);
    expect(device.listenerCount('/ip/firewall/nat')).toBe(0);

    // Nothing more arrives for the cancelled listen.
    await c.call('/ip/firewall/nat/add', '=chain=srcnat', '.tag=13');
    await settle();
    expect(c.pending()).toBe(0);
  });

  it('applies queries and .proplist to listen rows but always delivers removals', async () => {
    const c = await loggedIn();
    c.send('/ip/firewall/nat/listen', '?chain=dstnat', '=.proplist=.id,comment', '.tag=L');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    // The listen's rows interleave with the other commands' replies, in the order they happen.
    expect(await c.call('/ip/firewall/nat/add', '=chain=srcnat', '=comment=skip')).toEqual([['!done', '=ret=*10']]);
    expect(await c.call('/ip/firewall/nat/add', '=chain=dstnat', '=comment=keep')).toEqual([
      ['!re', '.tag=L', '=.id=*11', '=comment=keep'],
      ['!done', '=ret=*11'],
    ]);
    expect(await c.call('/ip/firewall/nat/remove', '=.id=*10')).toEqual([
      ['!re', '.tag=L', '=.id=*10', '=.dead=true'],
      ['!done'],
    ]);
  });

  it('print =follow= prints the rows then streams; =follow-only= streams only; both until /cancel', async () => {
    const c = await loggedIn();
    c.send('/interface/print', '=follow=', '?type=vlan', '=.proplist=name', '.tag=f');
    expect(await c.next()).toEqual(['!re', '.tag=f', '=name=vlan10']);
    c.send('/ip/firewall/nat/print', '=follow-only=', '.tag=g');
    await settle();
    expect(c.pending()).toBe(0);
    expect(await c.call('/ip/firewall/nat/add', '=chain=dstnat')).toEqual([
      ['!re', '.tag=g', '=.id=*10', '=chain=dstnat'],
      ['!done', '=ret=*10'],
    ]);
    expect(device.listenerCount('/interface')).toBe(1);
    expect(await c.call('/cancel', '=tag=f')).toEqual([
      ['!trap', '.tag=f', '=category=2', '=message=interrupted'],
      ['!done'],
    ]);
    expect(await c.next()).toEqual(['!done', '.tag=f']);
    expect(device.listenerCount('/interface')).toBe(0);
    expect(device.listenerCount('/ip/firewall/nat')).toBe(1);
  });

  it('/cancel without a tag cancels every running command of the session only', async () => {
    const a = await loggedIn();
    const b = await loggedIn();
    a.send('/ip/firewall/nat/listen', '.tag=1');
    a.send('/interface/listen', '.tag=2');
    b.send('/ip/firewall/nat/listen', '.tag=1');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 2 && device.listenerCount('/interface') === 1);
    a.send('/cancel', '.tag=3');
    const replies = [await a.next(), await a.next(), await a.next(), await a.next(), await a.next()];
    expect(replies.slice(0, 2)).toEqual([
      ['!trap', '.tag=1', '=category=2', '=message=interrupted'],
      ['!trap', '.tag=2', '=category=2', '=message=interrupted'],
    ]);
    expect(replies[2]).toEqual(['!done', '.tag=3']);
    expect(replies.slice(3)).toEqual([
      ['!done', '.tag=1'],
      ['!done', '.tag=2'],
    ]);
    expect(device.listenerCount('/ip/firewall/nat')).toBe(1);
    expect(device.listenerCount('/interface')).toBe(0);
  });

  it('answers a cancel of a tag that is not running with !done', async () => {
    const c = await loggedIn();
    expect(await c.call('/cancel', '=tag=nope', '.tag=5')).toEqual([['!done', '.tag=5']]);
  });

  it('caps the number of running commands per session', async () => {
    const c = await loggedIn();
    for (let i = 0; i < MAX_RUNNING_COMMANDS; i++) c.send('/interface/listen', `.tag=${i}`);
    await waitFor(() => device.listenerCount('/interface') === MAX_RUNNING_COMMANDS);
    expect(await c.call('/interface/listen', '.tag=over')).toEqual([
      [
        '!trap',
        '.tag=over',
        '=category=5',
        `=message=failure: more than ${MAX_RUNNING_COMMANDS} commands running in this session`,
      ],
      ['!done', '.tag=over'],
    ]);
    expect(device.listenerCount('/interface')).toBe(MAX_RUNNING_COMMANDS);
  });

  it('unsubscribes when the connection closes', async () => {
    const c = await loggedIn();
    c.send('/ip/firewall/nat/listen', '.tag=1');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    c.close();
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 0);
  });

  it('listen on an unknown menu gets the unknown-command traps', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/nope/listen', '.tag=x')).toEqual([
      ['!trap', '.tag=x', '=category=0', '=message=no such command or directory (nope)'],
      ['!trap', '.tag=x', '=message=no such command prefix'],
      ['!done', '.tag=x'],
    ]);
  });

  it('drops a client that stops reading while a listen floods it, keeping memory bounded', async () => {
    const limited = await startApiServer({ device, host: '127.0.0.1', port: 0 }, { maxUnsentBytes: 64 * 1024 });
    try {
      const slow = await WireClient.connect(limited.port);
      clients.push(slow);
      await slow.login();
      slow.send('/ip/firewall/nat/listen', '.tag=1');
      await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
      slow.socket.pause();
      const big = 'x'.repeat(10_000);
      // 20 MB of changes: more than the kernel's socket buffers can absorb.
      for (let i = 0; i < 2000; i++) device.command('/ip/firewall/nat', 'add', { comment: big }, device.ctx);
      slow.socket.resume();
      await slow.waitClosed(5000);
      expect(device.listenerCount('/ip/firewall/nat')).toBe(0);
    } finally {
      await limited.close();
    }
  });

  it('close() ends every session', async () => {
    const c = await loggedIn();
    c.send('/interface/listen', '.tag=1');
    await waitFor(() => device.listenerCount('/interface') === 1);
    await server.close();
    await c.waitClosed();
    expect(device.listenerCount('/interface')).toBe(0);
    server = await startApiServer({ device, host: '127.0.0.1', port: 0 });
  });
});
