import { eventChannel } from '../../shared/contract/define';
import type { NoticePayload } from '../../shared/domains/mappings';
import type { EventHub } from '../host/event-hub';

export interface NotifierLike {
  isSupported(): boolean;
  show(title: string, body: string): void;
}

/**
 * Desktop notifications for the mappings monitor's notices (a mapping on a privileged port, or from a
 * host never seen before). The renderer shows the same notice as a toast; the service already honours
 * the user's silence settings before it emits.
 */
export function forwardNotices(hub: EventHub, notifier: NotifierLike): () => void {
  const channel = eventChannel('mappings', 'notice');
  return hub.subscribe((ch, payload) => {
    if (ch !== channel || !notifier.isSupported()) return;
    const notice = payload as NoticePayload;
    notifier.show(notice.title, notice.message);
  });
}
