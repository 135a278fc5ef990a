/**
 * MAC addresses with real vendor OUIs so PortPilot's vendor lookup shows the right device type.
 * Every OUI below was checked against the IEEE registry as shipped in the `oui-data` npm package.
 */
export const OUI = {
  mikrotik: '48:A9:8A', // Routerboard.com
  sonyInteractive: '70:9E:29', // Sony Interactive Entertainment Inc. (PlayStation)
  microsoft: '7C:ED:8D', // Microsoft (Xbox)
  nintendo: '98:B6:E9', // Nintendo Co.,Ltd
  synology: '00:11:32', // Synology Incorporated (NAS running Plex)
  intel: '00:15:17', // Intel Corporate (laptop NIC)
  apple: 'A4:5E:60', // Apple, Inc.
  raspberryPi: '2C:CF:67', // Raspberry Pi (Trading) Ltd
  asus: 'D8:50:E6', // ASUSTek COMPUTER INC.
} as const;

/** Stable pseudo-random low three bytes from a name (FNV-1a), so scenarios are reproducible. */
export function macFor(name: string, oui: string = OUI.mikrotik): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < name.length; i++) h = Math.imul(h ^ name.charCodeAt(i), 0x01000193) >>> 0;
  const tail = [16, 8, 0].map((s) => ((h >>> s) & 0xff).toString(16).padStart(2, '0').toUpperCase());
  return `${oui}:${tail.join(':')}`;
}
