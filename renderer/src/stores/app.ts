import { defineStore } from 'pinia';
import { computed, ref } from 'vue';
import type { AppInfo, TickPayload } from '../../../shared/domains/app';
import { connectApi } from '../api';
import type { SocketState } from '../api/ws-transport';
import { useSubscriptions } from '../composables/subscriptions';

/** The `app` domain: backend info, the heartbeat tick, and the state of the link to the backend. */
export const useAppStore = defineStore('app', () => {
  const life = useSubscriptions();
  const info = ref<AppInfo | null>(null);
  const lastTick = ref<TickPayload | null>(null);
  const socketState = ref<SocketState>('connecting');
  const error = ref<string | null>(null);
  const backendReachable = computed(() => socketState.value === 'open');

  let started = false;
  function start(): void {
    if (started) return;
    started = true;
    const { api, onSocketState } = connectApi();
    life.keep(
      onSocketState((state) => {
        socketState.value = state;
        if (state === 'open') void refreshInfo();
      }),
    );
    life.keep(api.app.onTick((tick) => (lastTick.value = tick)));
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

  return { info, lastTick, socketState, error, backendReachable, start, refreshInfo };
});
