/*
 * What an alert about a new mapping carries across the contract (the mappings domain's `notice` event),
 * and the watch-list format the settings validate. The rules themselves run in main
 * (electron/mappings/alert-rules.ts); desktop notifications, browser notifications and in-app toasts
 * all show the same notices, so one rule set decides for all three (issue 16).
 */

/** Why a new mapping matters. `new-host` = a device PortPilot has never seen on this router. */
export type AlertReason = 'privileged-port' | 'new-host' | 'watched-port' | 'unknown-vendor';

export const ALERT_REASONS: readonly AlertReason[] = ['privileged-port', 'watched-port', 'new-host', 'unknown-vendor'];

export interface NoticeDevice {
  /** For people: the host name, else the address. */
  label: string;
  /** The LAN address the mappings point at (the Mappings screen filters by it). */
  address: string;
}

/**
 * One alert: a single new mapping, several from one device opened together ("3 new mappings from
 * alex-laptop"), or — when alerts come faster than the rate limit allows — a summary of several devices.
 */
export interface NoticePayload {
  /** The first reason of the first mapping; `reasons` has them all. */
  kind: AlertReason;
  reasons: AlertReason[];
  /** The row a click opens: the first new mapping of the group. */
  mappingId: string;
  /** Every mapping the notice is about (at most MAX_NOTICE_IDS; `count` is the true number). */
  mappingIds: string[];
  count: number;
  /** The one device the notice is about; null for a summary of several devices. */
  device: NoticeDevice | null;
  title: string;
  message: string;
}

export const MAX_NOTICE_IDS = 50;

/** Longest watch list accepted (characters): about 40 ports or ranges. */
export const WATCH_PORTS_MAX = 300;

/**
 * `22, 3389, 5900-5910` → port ranges; null when a part is not a port (1–65535) or range. Spaces are
 * allowed; an empty list is valid (nothing watched).
 */
export function parseWatchPorts(text: string): Array<[number, number]> | null {
  if (text.length > WATCH_PORTS_MAX) return null;
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const out: Array<[number, number]> = [];
  for (const part of trimmed.split(',')) {
    const m = /^\s*(\d{1,5})\s*(?:-\s*(\d{1,5})\s*)?$/.exec(part);
    if (!m) return null;
    const from = Number(m[1]);
    const to = m[2] === undefined ? from : Number(m[2]);
    if (from < 1 || to > 65535 || to < from) return null;
    out.push([from, to]);
  }
  return out;
}

export const WATCH_PORTS_HINT = 'use port numbers and ranges separated by commas, e.g. 22, 3389, 5900-5910';
