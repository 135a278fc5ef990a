import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startApiServer } from './server';
import { FakeDevice, WireClient, waitFor } from './test-support';
import { PRE_LOGIN_SENTENCE_LIMIT } from './session';
import { PRINT_BURST_ROWS } from './commands';
import type { RunningServer } from '../api-device';
import { encodeSentence, encodeWord } from '../../routeros/codec';

let device: FakeDevice;
let server: RunningServer;
const clients: WireClient[] = [];
const logs: string[] = [];

async function client(): Promise<WireClient> {
  const c = await WireClient.connect(server.port);
  clients.push(c);
  return c;
}

async function loggedIn(): Promise<WireClient> {
  const c = await client();
  expect(await c.login()).toEqual([['!done']]);
  return c;
}

/** `name` of every `!re` in a reply. */
function names(reply: string[][]): string[] {
  return reply.filter((s) => s[0] === '!re').map((s) => s.find((w) => w.startsWith('=name='))?.slice(6) ?? '?');
}

beforeEach(async () => {
  device = new FakeDevice();
  logs.length = 0;
  server = await startApiServer({ device, host: '127.0.0.1', port: 0, log: (l) => logs.push(l) });
});

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  await server.close();
});

describe('login', () => {
  it('accepts the post-6.43 login and passes user and address to the device', async () => {
    const c = await loggedIn();
    await c.call('/interface/print');
    expect(device.contexts[0]).toEqual({ user: 'admin', remoteAddress: '127.0.0.1' });
  });

  it('answers a bad password with "cannot log in" then !done, tagged', async () => {
    const c = await client();
    expect(await c.call('/login', '=name=admin', '=password=nope', '.tag=1')).toEqual([
      ['!trap', '.tag=1', '=message=cannot log in'],
      ['!done', '.tag=1'],
    ]);
  });

  it('refuses commands before login and closes after too many', async () => {
    const c = await client();
    expect(await c.call('/interface/print')).toEqual([['!trap', '=message=not logged in'], ['!done']]);
    for (let i = 1; i < PRE_LOGIN_SENTENCE_LIMIT - 1; i++) await c.call('/interface/print');
    c.send('/interface/print');
    expect(await c.next()).toEqual(['!trap', '=message=not logged in']);
    expect(await c.next()).toEqual(['!done']);
    expect(await c.next()).toEqual(['!fatal', 'too many commands before login']);
    await c.waitClosed();
  });
});

describe('print', () => {
  const manyRows = (n: number) =>
    device.menus.set(
      '/interface',
      Array.from({ length: n }, (_, i) => ({ '.id': `*${(i + 1).toString(16)}`, name: `if${i}`, type: 'ether' })),
    );

  it('sends a long reply in bursts: complete and in order, with other commands answered in between', async () => {
    const n = 3 * PRINT_BURST_ROWS + 7;
    manyRows(n);
    const c = await loggedIn();
    c.send('/interface/print', '.tag=big');
    c.send('/ip/upnp/print', '.tag=small');
    const got: string[][] = [];
    while (got.filter((s) => s[0] === '!done').length < 2) got.push(await c.next());
    const big = got.filter((s) => s[1] === '.tag=big');
    expect(names(big)).toEqual(Array.from({ length: n }, (_, i) => `if${i}`));
    expect(big.at(-1)).toEqual(['!done', '.tag=big']);
    // The small print was answered before the long one finished: the router did not stall on it.
    const smallDone = got.findIndex((s) => s[0] === '!done' && s[1] === '.tag=small');
    expect(smallDone).toBeLessThan(got.length - 1);
    expect(smallDone).toBeGreaterThan(PRINT_BURST_ROWS - 1);
  });

  it('renders a long print as it sends it: the first burst leaves before the rest is rendered', async () => {
    const n = 4 * PRINT_BURST_ROWS;
    manyRows(n);
    let rendered = 0;
    device.printLazily = function* (menu) {
      for (const row of device.menus.get(menu) ?? []) {
        rendered++;
        yield { ...row };
      }
    };
    const c = await loggedIn();
    c.send('/interface/print', '?type=ether', '.tag=big');
    const got: string[][] = [await c.next()];
    const renderedAtFirstRow = rendered;
    while (got.at(-1)?.[0] !== '!done') got.push(await c.next());
    expect(names(got)).toHaveLength(n);
    expect(renderedAtFirstRow).toBeLessThan(n);
  });

  it('ends a long print that matches nothing with !empty on RouterOS 7.18+, after reading every row', async () => {
    manyRows(3 * PRINT_BURST_ROWS);
    const ros7 = await startApiServer({ device, host: '127.0.0.1', port: 0, emptyReplies: true });
    try {
      const c7 = await WireClient.connect(ros7.port);
      clients.push(c7);
      await c7.login();
      expect(await c7.call('/interface/print', '?type=vlan', '.tag=t')).toEqual([
        ['!empty', '.tag=t'],
        ['!done', '.tag=t'],
      ]);
      expect(await c7.call('/interface/print', '=count-only=', '?type=ether')).toEqual([
        ['!done', `=ret=${3 * PRINT_BURST_ROWS}`],
      ]);
    } finally {
      await ros7.close();
    }
  });

  it('cancels a long reply between bursts', async () => {
    manyRows(4 * PRINT_BURST_ROWS);
    const c = await loggedIn();
    c.send('/interface/print', '.tag=big');
    c.send('/cancel', '=tag=big', '.tag=c');
    const got: string[][] = [];
    while (!(got.at(-1)?.[0] === '!done' && got.at(-1)?.[1] === '.tag=big')) got.push(await c.next());
    expect(names(got).length).toBeLessThan(4 * PRINT_BURST_ROWS);
    expect(got).toContainEqual(['!trap', '.tag=big', '=category=2', '=message=interrupted']);
    expect(got).toContainEqual(['!done', '.tag=c']);
    expect(await c.call('/ip/upnp/print', '.tag=after')).toHaveLength(2);
  });

  it('sends rows with .id first and tags every sentence right after the reply word', async () => {
    const c = await loggedIn();
    const reply = await c.call('/interface/print', '.tag=abc');
    expect(reply).toHaveLength(5);
    expect(reply[0]).toEqual([
      '!re',
      '.tag=abc',
      '=.id=*1',
      '=name=ether1',
      '=type=ether',
      '=mtu=1500',
      '=running=true',
    ]);
    expect(reply[4]).toEqual(['!done', '.tag=abc']);
    expect(await c.call('/interface/getall')).toHaveLength(5);
  });

  it.each([
    [['?type=ether'], ['ether1', 'ether2']],
    [['?=type=vlan'], ['vlan10']],
    [['?comment'], ['vlan10']],
    [['?-comment'], ['ether1', 'ether2', 'bridge-lan']],
    [['?>mtu=1500'], ['ether2']],
    [['?<mtu=1500'], ['vlan10']],
    [['?<mtu=10000'], ['ether1', 'ether2', 'vlan10', 'bridge-lan']], // numeric, not text
    [['?>.id=*3'], ['bridge-lan']], // ids by hex value: *A > *3
    [['?<name=ether2'], ['ether1', 'bridge-lan']], // text compare when not numbers
    [['?type=ether', '?running=true'], ['ether1']], // stack AND
    [
      ['?type=ether', '?type=vlan', '?#|'],
      ['ether1', 'ether2', 'vlan10'],
    ],
    [['?type=ether', '?type=vlan', '?#|!'], ['bridge-lan']], // the manual's example
    [
      ['?type=ether', '?#!'],
      ['vlan10', 'bridge-lan'],
    ],
    [['?type=ether', '?running=true', '?#&'], ['ether1']],
    [
      ['?type=ether', '?running=true', '?#|'],
      ['ether1', 'ether2', 'vlan10', 'bridge-lan'],
    ],
    [
      ['?type=ether', '?#.!|'],
      ['ether1', 'ether2', 'vlan10', 'bridge-lan'],
    ], // x | !x
    [['?type=ether', '?#.!&'], []], // x & !x
    // Digits push a copy of the value that many places below the top (0 = top). The row matches when
    // every value left on the stack is true: [e, r, e] → [e, r|e] → e.
    [
      ['?type=ether', '?running=true', '?#1|'],
      ['ether1', 'ether2'],
    ],
    [['?type=ether', '?running=true', '?#0|'], ['ether1']], // [e, r, r] → [e, r]
    [
      ['?type=ether', '?running=true', '?#1!&|'],
      ['ether1', 'ether2', 'vlan10', 'bridge-lan'],
    ],
    [['?type=ether', '?type=vlan', '?#1'], []], // [e, v, e]: nothing is both
    [['?name='], []],
    [['?comment=iot'], ['vlan10']],
  ])('applies queries %j', async (queries, expected) => {
    const c = await loggedIn();
    expect(names(await c.call('/interface/print', ...queries))).toEqual(expected);
  });

  it('refuses a query whose stack operations underflow, with a trap', async () => {
    const c = await loggedIn();
    const reply = await c.call('/interface/print', '?type=ether', '?#&');
    expect(reply[0]?.[0]).toBe('!trap');
    expect(reply[0]).toContain('=category=1');
    expect(reply.at(-1)).toEqual(['!done']);
  });

  it('applies .proplist in the asked order, skipping absent properties', async () => {
    const c = await loggedIn();
    const reply = await c.call('/interface/print', '=.proplist=mtu,comment,name', '?type=vlan');
    expect(reply).toEqual([['!re', '=mtu=1496', '=comment=iot', '=name=vlan10'], ['!done']]);
  });

  it('answers count-only with =ret=N and no rows', async () => {
    const c = await loggedIn();
    expect(await c.call('/interface/print', '=count-only=', '?type=ether', '.tag=9')).toEqual([
      ['!done', '.tag=9', '=ret=2'],
    ]);
  });

  it('prints a singleton menu without .id', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/upnp/print')).toEqual([
      ['!re', '=enabled=true', '=allow-disable-external-interface=false'],
      ['!done'],
    ]);
  });

  it('sends a plain !done for no rows unless emptyReplies', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/firewall/nat/print', '.tag=t')).toEqual([['!done', '.tag=t']]);
    const ros7 = await startApiServer({ device, host: '127.0.0.1', port: 0, emptyReplies: true });
    try {
      const c7 = await WireClient.connect(ros7.port);
      clients.push(c7);
      await c7.login();
      expect(await c7.call('/ip/firewall/nat/print', '.tag=t')).toEqual([
        ['!empty', '.tag=t'],
        ['!done', '.tag=t'],
      ]);
      expect(await c7.call('/interface/print', '=count-only=', '?type=x')).toEqual([['!done', '=ret=0']]);
    } finally {
      await ros7.close();
    }
  });
});

describe('commands and errors', () => {
  it('returns =ret= from add and passes attributes (with empty values) to the device', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/firewall/nat/add', '=chain=dstnat', '=comment=', '=to-addresses=a=b', '.tag=2')).toEqual([
      ['!done', '.tag=2', '=ret=*10'],
    ]);
    expect(device.menus.get('/ip/firewall/nat')).toEqual([
      { '.id': '*10', chain: 'dstnat', comment: '', 'to-addresses': 'a=b' },
    ]);
  });

  it('sends a device trap with its category, then !done', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/firewall/nat/remove', '=.id=*99', '.tag=r')).toEqual([
      ['!trap', '.tag=r', '=category=0', '=message=no such item'],
      ['!done', '.tag=r'],
    ]);
    expect(await c.call('/ip/firewall/nat/add', '=protocol=bogus')).toEqual([
      ['!trap', '=category=1', '=message=input does not match any value of protocol'],
      ['!done'],
    ]);
  });

  it('answers an unknown command with the two traps real RouterOS sends', async () => {
    const c = await loggedIn();
    expect(await c.call('/ip/adress/print', '.tag=u')).toEqual([
      ['!trap', '.tag=u', '=category=0', '=message=no such command or directory (adress)'],
      ['!trap', '.tag=u', '=message=no such command prefix'],
      ['!done', '.tag=u'],
    ]);
    expect((await c.call('/interface/frobnicate'))[0]).toEqual([
      '!trap',
      '=category=0',
      '=message=no such command or directory (frobnicate)',
    ]);
    expect((await c.call('nonsense'))[0]?.[0]).toBe('!trap');
    // One element, never the whole word (`(//foo)`).
    expect((await c.call('//foo'))[0]).toEqual(['!trap', '=category=0', '=message=no such command or directory (foo)']);
  });

  it('turns an unexpected exception into a category 4 trap, logs it and keeps the session', async () => {
    const c = await loggedIn();
    const reply = await c.call('/interface/boom');
    expect(reply[0]).toEqual(['!trap', '=category=4', '=message=failure: internal error in /interface/boom']);
    expect(reply[1]).toEqual(['!done']);
    expect(logs.some((l) => l.includes('simulated bug'))).toBe(true);
    expect(names(await c.call('/interface/print', '?type=vlan'))).toEqual(['vlan10']);
  });

  it('answers /quit with !fatal and closes', async () => {
    const c = await loggedIn();
    c.send('/quit', '.tag=q');
    expect(await c.next()).toEqual(['!fatal', 'session terminated on request']);
    await c.waitClosed();
  });

  it('answers a reserved length prefix with !fatal and closes, while another session keeps working', async () => {
    const bad = await loggedIn();
    const good = await loggedIn();
    good.send('/ip/firewall/nat/listen', '.tag=L');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    bad.sendRaw(Buffer.concat([encodeWord('/interface/print'), Buffer.from([0xf9, 0, 0])]));
    const fatal = await bad.next();
    expect(fatal[0]).toBe('!fatal');
    expect(fatal[1]).toMatch(/^malformed sentence: reserved control byte 0xf9/);
    await bad.waitClosed();
    expect(names(await good.call('/interface/print', '?type=vlan'))).toEqual(['vlan10']);
    expect(device.listenerCount('/ip/firewall/nat')).toBe(1);
  });

  it('answers an oversized word with !fatal before reading it', async () => {
    const small = await startApiServer({ device, host: '127.0.0.1', port: 0, maxWordBytes: 1000 });
    try {
      const c = await WireClient.connect(small.port);
      clients.push(c);
      await c.login();
      // Words up to the limit are fine once logged in.
      expect(await c.call('/ip/firewall/nat/add', `=comment=${'c'.repeat(980)}`)).toEqual([['!done', '=ret=*10']]);
      c.sendRaw(Buffer.from([0x80 | 0x10, 0x00])); // a 4096-byte word announced, no payload
      const fatal = await c.next();
      expect(fatal).toEqual(['!fatal', 'malformed sentence: word of 4096 bytes exceeds the limit of 1000 bytes']);
      await c.waitClosed();
    } finally {
      await small.close();
    }
  });

  it('limits word size before login far below the limit after login, like the manual says', async () => {
    const anon = await client();
    anon.send('/login', '=name=admin', `=password=${'p'.repeat(5000)}`);
    expect(await anon.next()).toEqual([
      '!fatal',
      'malformed sentence: word of 5010 bytes exceeds the limit of 4096 bytes',
    ]);
    await anon.waitClosed();
    // The same word is fine after login, even when it arrives in the same TCP chunk as the login.
    const c = await client();
    c.sendRaw(
      Buffer.concat([
        encodeSentence(['/login', '=name=admin', '=password=secret']),
        encodeSentence(['/ip/firewall/nat/add', `=comment=${'p'.repeat(5000)}`]),
      ]),
    );
    expect(await c.untilDone()).toEqual([['!done']]);
    expect(await c.untilDone()).toEqual([['!done', '=ret=*10']]);
  });

  it('rejects when the port is taken, leaving no reboot hook behind', async () => {
    let hooks = 0;
    const counting = Object.assign(Object.create(device) as FakeDevice, {
      onReboot: (l: () => void) => {
        hooks++;
        return device.onReboot(l);
      },
    });
    await expect(startApiServer({ device: counting, host: '127.0.0.1', port: server.port })).rejects.toThrow(
      /EADDRINUSE/,
    );
    expect(hooks).toBe(0);
  });

  it('drops every connection when the device reboots, like a real router', async () => {
    const a = await loggedIn();
    const b = await client();
    a.send('/ip/firewall/nat/listen', '.tag=L');
    await waitFor(() => device.listenerCount('/ip/firewall/nat') === 1);
    device.reboot();
    await a.waitClosed();
    await b.waitClosed();
    expect(device.listenerCount('/ip/firewall/nat')).toBe(0);
  });
});
