import { useDialog } from 'naive-ui';
import { useRouterStore } from '../stores/router';

/**
 * Disconnect, asked first (issue 13): a dialog with focus kept inside, Escape or "Stay connected" to
 * keep the session. Call in a component's setup (Naive UI's dialog provider is in App.vue).
 */
export function useConfirmDisconnect(): () => void {
  const dialog = useDialog();
  const store = useRouterStore();
  return () => {
    const s = store.state;
    if (s.kind === 'idle') return;
    const name = s.kind === 'connected' ? s.capabilities.identity : s.router.label;
    dialog.warning({
      title: `Disconnect from ${name}?`,
      content:
        'PortPilot stops watching this router’s mappings and cannot change anything on it until you connect again. Nothing on the router itself changes.',
      positiveText: 'Disconnect',
      negativeText: 'Stay connected',
      onPositiveClick: () => void store.disconnect(),
    });
  };
}
