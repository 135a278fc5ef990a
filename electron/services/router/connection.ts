/**
 * The one live router connection of the app: at most one RouterLink (and the embedded demo router
 * behind it, when that is what is connected), its state in the contract's shape, and listeners.
 */
import { ContractError } from '../../../shared/contract/result';
import type { RouterRef, SessionState } from '../../../shared/domains/router';
import { createRouterLink, type LinkInfo, type RouterLink } from '../../core/router-link';
import type { RouterTarget } from '../../router-session';
import type { DemoRouterHandle, RouterServicePorts } from './ports';

export class RouterConnection {
  private link: RouterLink | null = null;
  private unsubscribe: () => void = () => {};
  private demo: DemoRouterHandle | null = null;
  private current: SessionState = { kind: 'idle' };
  private readonly listeners = new Set<(state: SessionState) => void>();

  constructor(
    private readonly ports: RouterServicePorts,
    private readonly emit: (state: SessionState) => void,
  ) {}

  get state(): SessionState {
    return this.current;
  }

  /** The live router while connected; null otherwise (also while reconnecting). */
  router(): RouterLink | null {
    return this.current.kind === 'connected' ? this.link : null;
  }

  onState(listener: (state: SessionState) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private setState(next: SessionState): void {
    this.current = next;
    this.emit(next);
    for (const l of [...this.listeners]) l(next);
  }

  /** Opens a link to `target` (closing the current one); throws a ContractError when it fails. */
  async open(target: RouterTarget, info: LinkInfo): Promise<SessionState> {
    await this.closeLink();
    const next = createRouterLink(this.ports.openSession(target), info);
    this.link = next;
    this.setState({ kind: 'connecting', router: info.ref });
    this.unsubscribe = next.onState((s) => {
      if (this.link === next && s.kind !== 'connecting') this.setState(s);
    });
    try {
      const capabilities = await next.connect();
      // The link's own state event has usually said so already: one `connected` per connect.
      if (this.current.kind !== 'connected') this.setState({ kind: 'connected', router: info.ref, capabilities });
      return this.current;
    } catch (err) {
      await this.closeLink();
      const described = this.ports.describeError(err);
      this.setState({ kind: 'disconnected', router: info.ref, reason: described.message });
      throw new ContractError(described.code, described.message, described.detail);
    }
  }

  /** Starts the embedded demo router (stopping any other) and connects to it. */
  async openDemo(ref: Omit<RouterRef, 'host' | 'port'>, options: Parameters<RouterServicePorts['startDemoRouter']>[0]) {
    await this.closeLink();
    await this.stopDemo();
    const demo = await this.ports.startDemoRouter(options);
    this.demo = demo;
    const target: RouterTarget = {
      host: demo.host,
      port: demo.apiPort,
      transport: 'api',
      user: demo.user,
      password: demo.password,
      pinnedFingerprint: null,
    };
    return this.open(target, {
      ref: { ...ref, host: demo.host, port: demo.apiPort },
      endpoints: demo.endpoints,
      runId: demo.runId,
    });
  }

  /** Closes the link and stops the demo router; the state becomes idle. */
  async close(): Promise<SessionState> {
    await this.closeLink();
    await this.stopDemo();
    this.setState({ kind: 'idle' });
    return this.current;
  }

  /**
   * After a fault nobody caught (fault-guard.ts): the link may be broken in ways it cannot report, so
   * it is closed and the user is told why, on the screen that shows the connection.
   */
  async drop(reason: string): Promise<void> {
    const link = this.link;
    if (!link) return;
    await this.closeLink();
    await this.stopDemo();
    this.setState({ kind: 'disconnected', router: link.ref, reason });
  }

  /** On shutdown: closes everything without announcing a state. */
  async dispose(): Promise<void> {
    await this.closeLink();
    await this.stopDemo();
  }

  /** Before connecting to a real router: the demo router stops. */
  async stopDemo(): Promise<void> {
    const old = this.demo;
    this.demo = null;
    await old?.stop().catch((err: unknown) => this.ports.log(`demo router stop failed: ${String(err)}`));
  }

  private async closeLink(): Promise<void> {
    this.unsubscribe();
    this.unsubscribe = () => {};
    const old = this.link;
    this.link = null;
    await old?.close().catch(() => {});
  }
}
