/** The cleanup's reasons, in words that group well (a leaf module). */
export const REASONS = {
  apiRemoved: 'removed through the router’s API',
  igdDeleted: 'deleted with a UPnP request from this computer',
  flushed: 'dropped by the UPnP restart',
  alreadyGone: 'already gone',
  ownerBack: 'its device is back on the network',
  connection: 'a connection is using it again',
  notDynamic: 'the rule is not dynamic: never removed',
  changed: 'the rule changed since the preview',
  restored: 'restored on behalf of its device',
  back: 'its device mapped it again by itself',
} as const;
