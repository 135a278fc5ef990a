import { describe, expect, it } from 'vitest';
import { createAppService } from './app-service';

describe('app service', () => {
  it('reports the transport of the caller, and answers a ping with the time', async () => {
    const service = createAppService({
      emit: () => {},
      now: () => new Date('2025-01-02T03:04:05Z'),
      info: {
        name: 'PortPilot',
        version: '1.2.3',
        platform: 'linux',
        arch: 'x64',
        electronVersion: null,
        nodeVersion: '20',
      },
    });
    expect((await service.info(undefined, { transport: 'websocket' })).transport).toBe('websocket');
    expect((await service.info(undefined, { transport: 'ipc' })).transport).toBe('ipc');
    expect(await service.ping(undefined, { transport: 'ipc' })).toEqual({ pong: true, at: '2025-01-02T03:04:05.000Z' });
    service.dispose();
  });
});
