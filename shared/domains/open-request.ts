/*
 * "Open PortPilot on …": what a click on a desktop notification or a tray menu item asks the window to
 * show. The same value becomes a route in the renderer (hash history) and the hash a new window is
 * loaded with, so a window that did not exist yet (closed to the tray) opens on the right screen.
 */
import type { NoticePayload } from './alerts';

export type OpenRequest =
  /** That row of the Mappings screen; `filter` narrows the table (a device's address for a group). */
  | { kind: 'mapping'; mappingId: string; filter: string | null }
  /** The cleanup preview: the user sees and confirms what would go; nothing is removed before that. */
  | { kind: 'cleanup' }
  /** The Connect screen asking for the password of a profile (a login start found none saved). */
  | { kind: 'password'; profileId: string };

export interface OpenRoute {
  path: string;
  query: Record<string, string>;
}

export function openRoute(request: OpenRequest): OpenRoute {
  switch (request.kind) {
    case 'mapping':
      return {
        path: '/mappings',
        query: request.filter ? { open: request.mappingId, filter: request.filter } : { open: request.mappingId },
      };
    case 'cleanup':
      return { path: '/mappings', query: { cleanup: '1' } };
    case 'password':
      return { path: '/connect', query: { ask: request.profileId } };
  }
}

/** `/mappings?open=tcp%2F80`: the hash (without `#`) a new window is loaded with. */
export function openHash(request: OpenRequest): string {
  const { path, query } = openRoute(request);
  const search = new URLSearchParams(query).toString();
  return search ? `${path}?${search}` : path;
}

/**
 * Where a click on an alert leads: its first row; for several mappings of one device the table is
 * filtered to that device so all of them show. (A summary of several devices opens its first row.)
 */
export function noticeOpenRequest(notice: NoticePayload): OpenRequest {
  const filter = notice.count > 1 && notice.device ? notice.device.address : null;
  return { kind: 'mapping', mappingId: notice.mappingId, filter };
}
