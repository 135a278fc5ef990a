/**
 * A `fetch` for SOAP calls in bulk: plain `node:http` with a keep-alive agent. The cleanup restores
 * thousands of mappings with AddPortMapping (issue 11, 8,000 after a UPnP restart on `large`);
 * measured on Node 20 against a local server, the global fetch (undici's WHATWG layer, a new
 * AbortSignal per call) took about twice as long per request as node:http on kept-alive sockets.
 * Only what soap.ts and description.ts use: http: URLs, method, string headers and body, `signal`
 * (its reason is the rejection, as with fetch), `redirect: 'error'`. Bodies are cut at `maxBytes`.
 */
import http from 'node:http';

export interface KeepAliveFetchOptions {
  /** Requests in flight per host (the agent's sockets). */
  maxSockets?: number;
  /** Larger bodies reject with RangeError (a device must not exhaust memory). */
  maxBytes?: number;
}

export type FetchLike = typeof fetch;

export function keepAliveFetch(opts: KeepAliveFetchOptions = {}): FetchLike & { close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
  const maxBytes = opts.maxBytes ?? 1024 * 1024;
  const fetchLike = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> =>
    new Promise<Response>((resolve, reject) => {
      if (input instanceof Request) return reject(new TypeError('keepAliveFetch takes a URL, not a Request'));
      const url = new URL(input);
      if (url.protocol !== 'http:')
        return reject(new TypeError(`keepAliveFetch takes http: URLs, not ${url.protocol}`));
      const signal = init.signal ?? undefined;
      if (signal?.aborted) return reject(signal.reason);
      const req = http.request(url, {
        method: init.method ?? 'GET',
        agent,
        headers: init.headers as http.OutgoingHttpHeaders,
      });
      const onAbort = () => req.destroy(signal?.reason as Error);
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => signal?.removeEventListener('abort', onAbort);
      req.on('error', (err) => (done(), reject(err)));
      req.on('response', (res) => {
        const status = res.statusCode ?? 0;
        if (init.redirect === 'error' && status >= 300 && status < 400) {
          res.resume();
          done();
          return reject(new TypeError(`redirect to ${res.headers.location ?? '?'} refused`));
        }
        const chunks: Buffer[] = [];
        let size = 0;
        let failed = false;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size <= maxBytes) return void chunks.push(chunk);
          failed = true;
          done();
          res.destroy();
          req.destroy();
          reject(new RangeError(`body exceeds the ${maxBytes}-byte limit`));
        });
        res.on('error', (err) => (done(), reject(err)));
        res.on('end', () => {
          if (failed) return;
          done();
          const headers = new Headers();
          for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers.set(k, v);
          resolve(new Response(status === 204 ? null : Buffer.concat(chunks), { status, headers }));
        });
      });
      req.end(typeof init.body === 'string' ? init.body : undefined);
    });
  return Object.assign(fetchLike, { close: () => agent.destroy() });
}
