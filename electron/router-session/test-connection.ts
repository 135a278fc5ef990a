/**
 * "Test connection" for the Connect screen: TCP, TLS (+ fingerprint), login, version, each reported
 * with a detail that says what was seen or what to check. Stops at the first failure; later steps
 * are 'skip'. A certificate not trusted yet does not fail the TLS step: it is reported (with the
 * fingerprint to show) and the login is tried against that very certificate.
 */
import net from 'node:net';
import type { TestStep as TestStepView } from '../../shared/domains/router';
import { RouterConnectionError } from './errors';
import { probeCapabilities } from './probe';
import type { RouterTarget } from './target';
import { checkPin, classifySocketError, probeTlsFingerprint, ANONYMOUS_PIN, type TlsPeer } from './tls';
import { openNodeRouterosLink, type LinkOpener } from './transport';

export type TestStepId = TestStepView['id'];

/** The contract's step, with what the service needs to ask the user to trust a certificate. */
export interface TestStep extends TestStepView {
  /** tls step: what the router presented, and whether the user still has to accept it. */
  tls?: TlsPeer & { trustRequired: boolean };
  /** Error kind of a failed step (RouterConnectionError kind). */
  errorKind?: string;
}

function tcpCheck(host: string, port: number, timeoutMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host, port });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      reject(new RouterConnectionError('timeout', { host, port }));
    });
    socket.once('connect', () => {
      socket.destroy();
      resolve(Date.now() - started);
    });
    socket.once('error', (err) => reject(classifySocketError(err, host, port)));
  });
}

function failed(id: TestStepId, err: unknown): TestStep {
  const e = err instanceof RouterConnectionError ? err : undefined;
  return { id, status: 'fail', detail: err instanceof Error ? err.message : String(err), errorKind: e?.kind };
}

function skipped(ids: TestStepId[]): TestStep[] {
  return ids.map((id) => ({ id, status: 'skip', detail: 'Not tried: an earlier step failed.' }));
}

export async function testConnection(target: RouterTarget, deps: { openLink?: LinkOpener } = {}): Promise<TestStep[]> {
  const steps: TestStep[] = [];
  const timeoutMs = target.connectTimeoutMs ?? 10_000;
  try {
    const ms = await tcpCheck(target.host, target.port, timeoutMs);
    steps.push({ id: 'tcp', status: 'pass', detail: `${target.host}:${target.port} accepts connections (${ms} ms).` });
  } catch (err) {
    return [failed('tcp', err), ...skipped(['tls', 'login', 'version'])];
  }
  let pin = target.pinnedFingerprint;
  if (target.transport === 'api') {
    steps.push({
      id: 'tls',
      status: 'skip',
      detail: 'Plain API (8728): not encrypted. API-SSL (8729) encrypts the link.',
    });
  } else {
    try {
      const peer = await probeTlsFingerprint(target.host, target.port, timeoutMs);
      const verdict = checkPin(pin, peer, target);
      if (verdict && verdict.kind === 'tls-fingerprint-changed')
        return [...steps, failed('tls', verdict), ...skipped(['login', 'version'])];
      const trustRequired = verdict !== undefined;
      const what = peer.anonymous
        ? 'no certificate (anonymous Diffie-Hellman)'
        : `certificate SHA-256 ${peer.fingerprint}`;
      steps.push({
        id: 'tls',
        status: 'pass',
        detail: trustRequired
          ? `Encrypted; ${what}. Not trusted yet: accept it to connect.`
          : `Encrypted; ${what} matches the pinned one.`,
        tls: { ...peer, trustRequired },
      });
      // Test the login against the certificate just seen; the real connect still needs the user's OK.
      pin = peer.anonymous ? ANONYMOUS_PIN : peer.fingerprint;
    } catch (err) {
      return [...steps, failed('tls', err), ...skipped(['login', 'version'])];
    }
  }
  const open = deps.openLink ?? openNodeRouterosLink;
  let link;
  try {
    // Every probe command gets the connect timeout too: a test that hangs on a slow reply tells nothing.
    link = await open(
      { ...target, pinnedFingerprint: pin },
      { timeoutMs, idleTimeoutMs: timeoutMs, commandTimeoutMs: timeoutMs },
    );
    steps.push({ id: 'login', status: 'pass', detail: `Logged in as ${target.user}.` });
  } catch (err) {
    return [...steps, failed('login', err), ...skipped(['version'])];
  }
  try {
    const caps = await probeCapabilities(link, target.transport);
    const board = caps.board ? ` on ${caps.board}` : '';
    steps.push({
      id: 'version',
      status: 'pass',
      detail: `RouterOS ${caps.version}${board}, identity "${caps.identity}".`,
    });
  } catch (err) {
    steps.push(failed('version', err));
  } finally {
    await link.close();
  }
  return steps;
}
