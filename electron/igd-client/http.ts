// The HTTP failures of description fetches and SOAP calls, in words a person can act on. A LAN
// device's answer is untrusted: PortPilot never follows its redirects (it could point the request at
// any host), and undici's bare "fetch failed" hides the cause a user needs (issue 18).
import { IgdError } from './errors';

/** Where RouterOS serves its root description (MikroTik manual; routeros-facts.md). */
export function routerDescriptionUrl(url: string): string {
  let host = '<router>';
  try {
    host = new URL(url).host.replace(/:\d+$/, '') || host;
  } catch {
    // not a URL: keep the placeholder
  }
  return `http://${host}:2828/gateway.xml`;
}

export const isRedirect = (status: number): boolean => status >= 300 && status < 400;

/** A 3xx answer as the refusal it is: a LAN device's redirect is never followed. */
export function redirectRefused(status: number, location: string | null, what: string, url: string): IgdError {
  return new IgdError(
    'redirect',
    `${what} at ${url} answered with a redirect (HTTP ${status}${location ? ` to ${location}` : ''}), which ` +
      `PortPilot deliberately does not follow: a device on the network could send port-mapping requests anywhere ` +
      `that way. Use the router's own description URL (RouterOS: ${routerDescriptionUrl(url)}).`,
  );
}

/**
 * A 3xx answer as the refusal it is. Requests go out with `redirect: 'manual'`, so the answer (and
 * where it pointed) is seen here instead of inside undici.
 */
export async function refuseRedirect(res: Response, what: string, url: string): Promise<void> {
  if (!isRedirect(res.status)) return;
  await res.body?.cancel().catch(() => undefined);
  throw redirectRefused(res.status, res.headers.get('location'), what, url);
}

/** undici rejects with TypeError("fetch failed") and the real reason in `cause`. */
function causeOf(err: Error): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: unknown }).code;
    return typeof code === 'string' ? `${code}: ${cause.message}` : cause.message;
  }
  return err.message;
}

/** A network failure (refused, unreachable, reset, a redirect undici refused) with its cause. */
export function networkFailure(err: Error, what: string, url: string): IgdError {
  const cause = causeOf(err);
  if (/redirect/i.test(cause)) {
    return new IgdError(
      'redirect',
      `${what} at ${url} answered with a redirect, which PortPilot deliberately does not follow. Use the router's ` +
        `own description URL (RouterOS: ${routerDescriptionUrl(url)}).`,
    );
  }
  return new IgdError('network', `cannot reach ${what} at ${url} (${cause})`);
}
