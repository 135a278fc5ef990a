import { createPinia, disposePinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createAppRouter } from './router';
import './style.css';

const pinia = createPinia();
const app = createApp(App).use(pinia).use(createAppRouter());
// Stores release their subscriptions and timers when their scope ends (composables/subscriptions.ts).
app.onUnmount(() => disposePinia(pinia));
app.mount('#app');
