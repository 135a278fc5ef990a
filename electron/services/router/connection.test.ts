import { describe, expect, it } from 'vitest';
import type { SessionState } from '../../../shared/domains/router';
import type { LinkSession } from '../../core/router-link';
import { adHocRef } from '../../core/router-link';
import type { Capabilities, SessionState as RawState } from '../../router-session';
import { RouterConnection } from './connection';
import type { RouterServicePorts } from './ports';

const caps = {
  version: '7.18',
  versionNumber: undefined,
  board: 'CHR',
  architecture: 'x86_64',
  identity: 'MikroTik',
  uptimeSeconds: 1,
  menus: { upnpPermissions: false, upnpMappings: false, natPmp: true },
  transport: 'api',
  tls: undefined,
} satisfies Capabilities;

/** Goes through the states a RouterSession would, without sockets. */
class FakeSession {
  closed = false;
  state: RawState = { kind: 'idle' };
  private readonly listeners = new Set<(s: RawState) => void>();
  private go(s: RawState): void {
    this.state = s;
    this.listeners.forEach((l) => l(s));
  }
  onState(l: (s: RawState) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  async connect(): Promise<Capabilities> {
    this.go({ kind: 'connected', capabilities: caps });
    return caps;
  }
  async close(): Promise<void> {
    this.closed = true;
    this.go({ kind: 'disconnected', reason: 'closed' });
  }
}

const fakeSession = () => new FakeSession() as unknown as LinkSession & { closed: boolean };

describe('RouterConnection', () => {
  it('one connected state per connect; a fault drop closes the link and says why', async () => {
    const session = fakeSession();
    const ports = { openSession: () => session, describeError: () => ({ code: 'x', message: 'x' }) };
    const seen: SessionState[] = [];
    const c = new RouterConnection(ports as unknown as RouterServicePorts, (s) => seen.push(s));
    const target = { host: '192.168.88.1', port: 8728, transport: 'api' as const, user: 'admin', password: 'pw' };
    await c.open(target, { ref: adHocRef(target) });
    expect(seen.map((s) => s.kind)).toEqual(['connecting', 'connected']);
    expect(c.router()?.host).toBe('192.168.88.1');
    await c.drop('PortPilot hit an internal error (boom) and closed the connection to be safe. Connect again.');
    expect(session.closed).toBe(true);
    expect(c.router()).toBeNull();
    expect(seen.at(-1)).toMatchObject({ kind: 'disconnected', reason: expect.stringContaining('(boom)') });
    // Nothing connected any more: a second fault changes nothing.
    const before = seen.length;
    await c.drop('again');
    expect(seen).toHaveLength(before);
  });
});
