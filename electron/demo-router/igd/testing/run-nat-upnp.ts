/**
 * Child-process entry for the multicast peer test: nat-upnp 1.1.1's own client, SSDP discovery
 * included, adds/lists/deletes one mapping and prints the results as one JSON line.
 * Only ever started inside a test's private network namespace.
 */
import { createRequire } from 'node:module';

interface Mapping {
  public: { port: number };
  private: { host: string; port: number };
  description: string;
}
interface Client {
  externalIp(cb: (err: Error | null, ip?: string) => void): void;
  portMapping(opts: object, cb: (err: Error | null) => void): void;
  portUnmapping(opts: object, cb: (err: Error | null) => void): void;
  getMappings(opts: object, cb: (err: Error | null, list?: Mapping[]) => void): void;
  close(): void;
}

const natUpnp = createRequire(import.meta.url)('nat-upnp') as { createClient(): Client };
const client = natUpnp.createClient();
const call = <T>(fn: (cb: (err: Error | null, v?: T) => void) => void): Promise<T | undefined> =>
  new Promise((resolve, reject) => fn((err, v) => (err ? reject(err) : resolve(v))));

try {
  const ip = await call<string>((cb) => client.externalIp(cb));
  await call((cb) => client.portMapping({ public: 48500, private: 8500, ttl: 0, description: 'nat-upnp mc' }, cb));
  const list = (await call<Mapping[]>((cb) => client.getMappings({}, cb))) ?? [];
  await call((cb) => client.portUnmapping({ public: 48500 }, cb));
  const after = (await call<Mapping[]>((cb) => client.getMappings({}, cb))) ?? [];
  process.stdout.write(
    `${JSON.stringify({ ip, ports: list.map((m) => m.public.port), after: after.map((m) => m.public.port), client: list[1]?.private.host })}\n`,
  );
} catch (error) {
  process.stdout.write(`${JSON.stringify({ error: (error as Error).message })}\n`);
} finally {
  client.close();
}
