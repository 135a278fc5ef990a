import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo } from '../../../shared/domains/app';
import { connectApi } from '../api';
import type { SocketState } from '../api/ws-transport';
import { useSubscriptions } from '../composables/subscriptions';

/** The `app` domain: backend info and the state of the link to the backend (always open on the desktop). */
export const useAppStore = defineStore('app', () => {
  const life = useSubscriptions();
  const info = ref<AppInfo | null>(null);
  const socketState = ref<SocketState>('connecting');
  const error = ref<string | null>(null);
  const backendReachable = computed(() => socketState.value === 'open');

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    life.keep(
      connectApi().onSocketState((state) => {
        socketState.value = state;
        if (state === 'open') void refreshInfo();
      }),
    );
  }

  async function refreshInfo(): Promise<void> {
    const result = await connectApi().api.app.info();
    if (result.ok) {
      info.value = result.value;
      error.value = null;
    } else {
      error.value = result.error.message;
    }
  }

  return { info, socketState, error, backendReachable, start, refreshInfo };
});
