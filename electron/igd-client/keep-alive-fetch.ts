/**
 * SOAP calls in bulk over plain `node:http` with a keep-alive agent. The cleanup restores thousands
 * of mappings with AddPortMapping (issue 11, 8,000 after a UPnP restart on `large`); measured on
 * Node 20 against a local server, the global fetch (undici's WHATWG layer, a new AbortSignal per call)
 * took about twice as long per request as node:http on kept-alive sockets. Two faces over one request
 * path: `fetch` (what description.ts uses: http: URLs, method, string headers and body, `signal` whose
 * reason is the rejection, `redirect: 'error'`), and `post` (soap.ts's SoapTransport: the answer's
 * status, Location and text with no WHATWG Response, ReadableStream or AbortSignal built per request,
 * which in the restore profile cost about as much as the HTTP exchange itself). Bodies are cut at
 * `maxBytes` either way: a LAN device must not exhaust memory.
 */
import http from 'node:http';
import type { SoapReply, SoapTransport } from './soap';

export interface KeepAliveFetchOptions {
  /** Requests in flight per host (the agent's sockets). */
  maxSockets?: number;
  /** Larger bodies reject with RangeError (a device must not exhaust memory). */
  maxBytes?: number;
}

export type FetchLike = typeof fetch;

export type KeepAliveFetch = FetchLike & {
  /** The same agent for SOAP POSTs (soap.ts SoapTransport). */
  post: SoapTransport;
  close(): void;
};

interface Exchange {
  method: string;
  headers?: http.OutgoingHttpHeaders;
  body?: string;
  maxBytes: number;
  /** Stop before reading the body (a redirect is refused, not followed). */
  skipBody?: (status: number) => boolean;
}

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** One request; `cancel(reason)` ends it with that reason as the rejection. */
function exchange(agent: http.Agent, url: URL, x: Exchange): { answer: Promise<Answer>; cancel(e: Error): void } {
  let req!: http.ClientRequest;
  let fail!: (e: Error) => void;
  const answer = new Promise<Answer>((resolve, reject) => {
    fail = (e) => {
      reject(e);
      req.destroy(e);
    };
    req = http.request(url, { method: x.method, agent, headers: x.headers });
    req.on('error', reject);
    req.on('response', (res) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length'] ?? '0');
      if (x.skipBody?.(status) || declared > x.maxBytes) {
        res.resume();
        if (declared > x.maxBytes)
          return reject(new RangeError(`body of ${declared} bytes exceeds the ${x.maxBytes}-byte limit`));
        return resolve({ status, headers: res.headers, body: Buffer.alloc(0) });
      }
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= x.maxBytes) return void chunks.push(chunk);
        fail(new RangeError(`body exceeds the ${x.maxBytes}-byte limit`));
      });
      res.on('error', reject);
      res.on('end', () => size <= x.maxBytes && resolve({ status, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.end(x.body);
  });
  return { answer, cancel: (e) => fail(e) };
}

function httpUrl(input: string | URL): URL {
  const url = new URL(input);
  if (url.protocol !== 'http:') throw new TypeError(`keepAliveFetch takes http: URLs, not ${url.protocol}`);
  return url;
}

const isRedirect = (status: number) => status >= 300 && status < 400;

export function keepAliveFetch(opts: KeepAliveFetchOptions = {}): KeepAliveFetch {
  const agent = new http.Agent({ keepAlive: true, maxSockets: opts.maxSockets ?? 16 });
  const maxBytes = opts.maxBytes ?? 1024 * 1024;

  const fetchLike = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    if (input instanceof Request) throw new TypeError('keepAliveFetch takes a URL, not a Request');
    const url = httpUrl(input);
    const signal = init.signal ?? undefined;
    if (signal?.aborted) throw signal.reason;
    const x = exchange(agent, url, {
      method: init.method ?? 'GET',
      headers: init.headers as http.OutgoingHttpHeaders,
      body: typeof init.body === 'string' ? init.body : undefined,
      maxBytes,
      skipBody: (status) => init.redirect === 'error' && isRedirect(status),
    });
    const onAbort = () => x.cancel(signal?.reason as Error);
    signal?.addEventListener('abort', onAbort, { once: true });
    const { status, headers: raw, body } = await x.answer.finally(() => signal?.removeEventListener('abort', onAbort));
    if (init.redirect === 'error' && isRedirect(status))
      throw new TypeError(`redirect to ${typeof raw.location === 'string' ? raw.location : '?'} refused`);
    const headers = new Headers();
    for (const [k, v] of Object.entries(raw)) if (typeof v === 'string') headers.set(k, v);
    return new Response(status === 204 ? null : body, { status, headers });
  };

  const post: SoapTransport = async (req): Promise<SoapReply> => {
    const x = exchange(agent, httpUrl(req.url), {
      method: 'POST',
      headers: { ...req.headers, 'Content-Length': Buffer.byteLength(req.body) },
      body: req.body,
      maxBytes: Math.min(req.maxBytes, maxBytes),
      skipBody: isRedirect,
    });
    // One timer per request, not an AbortSignal: the deadline covers connect, answer and body.
    const timer = setTimeout(() => {
      const e = new Error(`no answer within ${req.timeoutMs} ms`);
      e.name = 'TimeoutError';
      x.cancel(e);
    }, req.timeoutMs);
    try {
      const { status, headers, body } = await x.answer;
      const location = typeof headers.location === 'string' ? headers.location : null;
      return { status, location, body: body.toString('utf8') };
    } finally {
      clearTimeout(timer);
    }
  };

  return Object.assign(fetchLike, { post, close: () => agent.destroy() });
}
