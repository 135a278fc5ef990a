import type { DomainDef } from './define';
import { eventChannel, methodChannel, subscribeName } from './define';
import type { Result } from './result';

/** The two things a transport must do; Electron IPC (preload) and the WebSocket client implement it. */
export interface ClientTransport {
  invoke(channel: string, input: unknown): Promise<Result<unknown>>;
  subscribe(channel: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Derives the client object of each domain from its declaration: one function per method, one `onX`
 * per event. Nothing generic is exposed: a caller can only reach channels the contract declares.
 */
export function buildClient(
  domains: readonly DomainDef[],
  transport: ClientTransport,
): Record<string, Record<string, unknown>> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const domain of domains) {
    const client: Record<string, unknown> = {};
    for (const name of Object.keys(domain.methods)) {
      const channel = methodChannel(domain.name, name);
      client[name] = (input?: unknown) => transport.invoke(channel, input);
    }
    for (const name of Object.keys(domain.events)) {
      const channel = eventChannel(domain.name, name);
      client[subscribeName(name)] = (listener: (payload: unknown) => void) => transport.subscribe(channel, listener);
    }
    api[domain.name] = client;
  }
  return api;
}
