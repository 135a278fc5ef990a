/**
 * Between the alert rules and the user: new mappings that matter are grouped per device for a few
 * seconds (a console starting a game opens several ports at once: one alert, "3 new mappings from
 * xbox"), and at most MAX_PER_WINDOW alerts go out per minute; what the limit holds back is never
 * dropped but shown as one summary when the window frees. Pausing alerts drops them (the table still
 * shows every mapping). Time is injected: tests drive it.
 */
import type { NoticePayload } from '../../shared/domains/alerts';
import type { MappingAlert } from './alert-rules';
import { groupNotice, summaryNotice, type AlertGroup } from './alert-notice';
import type { MappingsClock } from './clock';

export const GROUP_MS = 4_000;
export const WINDOW_MS = 60_000;
export const MAX_PER_WINDOW = 3;

export interface AlertGateDeps {
  clock: Pick<MappingsClock, 'now' | 'setTimeout' | 'clearTimeout'>;
  paused: () => boolean;
  emit: (notice: NoticePayload) => void;
}

export class AlertGate {
  private readonly waiting = new Map<string, AlertGroup>();
  /** When each of the last alerts went out (within WINDOW_MS). */
  private sent: number[] = [];
  private timer: unknown = null;

  constructor(private readonly deps: AlertGateDeps) {}

  push(alert: MappingAlert): void {
    if (this.deps.paused()) return;
    const group = this.waiting.get(alert.device.key);
    if (group) {
      group.count++;
      group.alerts.push(alert);
    } else {
      this.waiting.set(alert.device.key, { device: alert.device, alerts: [alert], count: 1 });
    }
    this.timer ??= this.deps.clock.setTimeout(() => this.drain(), GROUP_MS);
  }

  dispose(): void {
    if (this.timer !== null) this.deps.clock.clearTimeout(this.timer);
    this.timer = null;
    this.waiting.clear();
  }

  private drain(): void {
    this.timer = null;
    if (this.deps.paused()) return void this.waiting.clear();
    if (this.waiting.size === 0) return;
    const now = this.deps.clock.now();
    this.sent = this.sent.filter((at) => now - at < WINDOW_MS);
    const budget = MAX_PER_WINDOW - this.sent.length;
    if (budget <= 0) {
      this.timer = this.deps.clock.setTimeout(() => this.drain(), this.sent[0]! + WINDOW_MS - now);
      return;
    }
    const groups = [...this.waiting.values()];
    this.waiting.clear();
    // Everything fits, or all but the last slot go to single devices and the last one sums up the rest.
    const singles = groups.length <= budget ? groups : groups.slice(0, budget - 1);
    for (const group of singles) this.send(groupNotice(group), now);
    const rest = groups.slice(singles.length);
    if (rest.length > 0) this.send(summaryNotice(rest, MAX_PER_WINDOW), now);
  }

  private send(notice: NoticePayload, now: number): void {
    this.sent.push(now);
    this.deps.emit(notice);
  }
}
