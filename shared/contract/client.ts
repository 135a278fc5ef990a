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
 * Outputs and payloads declared with a wire codec are decoded here, so callers get the declared type.
 */
export function buildClient(
  domains: readonly DomainDef[],
  transport: ClientTransport,
): Record<string, Record<string, unknown>> {
  const api: Record<string, Record<string, unknown>> = {};
  for (const domain of domains) {
    const client: Record<string, unknown> = {};
    for (const [name, def] of Object.entries(domain.methods)) {
      const channel = methodChannel(domain.name, name);
      const wire = def.wire;
      client[name] = wire
        ? async (input?: unknown) => {
            const r = await transport.invoke(channel, input);
            return r.ok ? { ok: true, value: wire.decode(r.value) } : r;
          }
        : (input?: unknown) => transport.invoke(channel, input);
    }
    for (const [name, def] of Object.entries(domain.events)) {
      const channel = eventChannel(domain.name, name);
      const wire = def.wire;
      client[subscribeName(name)] = (listener: (payload: unknown) => void) =>
        transport.subscribe(channel, wire ? (payload) => listener(wire.decode(payload)) : listener);
    }
    api[domain.name] = client;
  }
  return api;
}
