import { createRouter, createWebHashHistory, type RouteRecordRaw } from 'vue-router';

/** Hash history: works from file:// in Electron and from the web-mode host without server routes. */
export const screens = [
  { path: '/connect', name: 'connect', title: 'Connect', component: () => import('./views/ConnectView.vue') },
  { path: '/overview', name: 'overview', title: 'Overview', component: () => import('./views/OverviewView.vue') },
  { path: '/mappings', name: 'mappings', title: 'Mappings', component: () => import('./views/MappingsView.vue') },
  { path: '/setup', name: 'setup', title: 'Setup wizard', component: () => import('./views/SetupView.vue') },
  { path: '/config', name: 'config', title: 'Configuration', component: () => import('./views/ConfigView.vue') },
  {
    path: '/troubleshoot',
    name: 'troubleshoot',
    title: 'Troubleshooter',
    component: () => import('./views/TroubleshootView.vue'),
  },
  { path: '/audit', name: 'audit', title: 'Security audit', component: () => import('./views/AuditView.vue') },
  {
    path: '/selftest',
    name: 'selftest',
    title: 'Test from this PC',
    component: () => import('./views/SelfTestView.vue'),
  },
  { path: '/settings', name: 'settings', title: 'Settings', component: () => import('./views/SettingsView.vue') },
] as const;

export function createAppRouter() {
  const routes: RouteRecordRaw[] = [
    { path: '/', redirect: '/connect' },
    ...screens.map(({ path, name, title, component }) => ({ path, name, component, meta: { title } })),
    { path: '/:pathMatch(.*)*', redirect: '/connect' },
  ];
  return createRouter({ history: createWebHashHistory(), routes });
}
