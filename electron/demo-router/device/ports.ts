/**
 * Alternative external port for AddAnyPortMapping / NAT-PMP (UPnP IGD:2 §2.5.18: "the gateway may
 * choose another port"; RFC 6886 §3.3: "the NAT gateway SHOULD try to allocate the requested port,
 * otherwise another"). Scan upward from the wish, then wrap into the non-privileged range.
 */
export function pickFreePort(wanted: number, free: (port: number) => boolean): number | null {
  const start = Math.max(1, wanted);
  for (let p = start; p <= 65535; p++) if (free(p)) return p;
  for (let p = 1024; p < start; p++) if (free(p)) return p;
  return null;
}
