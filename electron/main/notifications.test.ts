import { describe, expect, it } from 'vitest';
import { mappingsDomain } from '../../shared/domains/mappings';
import { appDomain } from '../../shared/domains/app';
import { EventHub } from '../host/event-hub';
import { forwardNotices } from './notifications';

describe('desktop notifications', () => {
  it('shows each mappings notice and nothing else', () => {
    const hub = new EventHub();
    const shown: string[] = [];
    const stop = forwardNotices(hub, { isSupported: () => true, show: (t, b) => shown.push(`${t}|${b}`) });
    hub.sink(appDomain)('tick', { seq: 1, at: 'now' });
    hub.sink(mappingsDomain)('notice', {
      kind: 'privileged-port',
      mappingId: 'tcp/80',
      title: 'Port 80 opened',
      message: 'by 192.168.88.20',
    });
    stop();
    hub.sink(mappingsDomain)('notice', { kind: 'new-host', mappingId: 'udp/3074', title: 'x', message: 'y' });
    expect(shown).toEqual(['Port 80 opened|by 192.168.88.20']);
  });
});
