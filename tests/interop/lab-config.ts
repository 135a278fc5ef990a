// miniupnpd configuration for the interop lab (igd-lab-facts.md pitfalls 2, 4, 5). Pure text.
import { randomUUID } from 'node:crypto';

export function nftRuleset(): string {
  // Debian's nft_init.sh is broken (pitfall 2): our own tables with the chain names the config sets.
  return `table inet pp_upnp {
  chain forward { type filter hook forward priority 0; policy accept; jump forwardUPnP; }
  chain forwardUPnP { }
}
table inet pp_upnp_nat {
  chain prerouting { type nat hook prerouting priority -100; policy accept; jump UPnP; }
  chain postrouting { type nat hook postrouting priority 100; policy accept; jump UPnP-Postrouting; }
  chain UPnP { }
  chain UPnP-Postrouting { }
}
`;
}

export function miniupnpdConf(o: {
  igdV1: boolean;
  deniedPort: number;
  workDir: string;
  lanPrefix: string;
  httpPort: number;
}): string {
  return [
    'ext_ifname=wan0',
    'listening_ip=br0',
    `http_port=${o.httpPort}`,
    'enable_upnp=yes',
    'enable_natpmp=yes',
    'secure_mode=yes',
    'system_uptime=no',
    'notify_interval=60',
    'clean_ruleset_interval=600',
    `lease_file=${o.workDir}/upnp.leases`,
    `uuid=${randomUUID()}`,
    `force_igd_desc_v1=${o.igdV1 ? 'yes' : 'no'}`,
    'upnp_table_name=pp_upnp',
    'upnp_nat_table_name=pp_upnp_nat',
    'upnp_forward_chain=forwardUPnP',
    'upnp_nat_chain=UPnP',
    'upnp_nat_postrouting_chain=UPnP-Postrouting',
    // First match wins (pitfall 5): one denied external port, then the LAN's high ports.
    `deny ${o.deniedPort} 0.0.0.0/0 0-65535`,
    `allow 1024-65535 ${o.lanPrefix}.0/24 1024-65535`,
    'deny 0-65535 0.0.0.0/0 0-65535',
    '',
  ].join('\n');
}

/** The router's NAT, and the outer NAT of a double-NAT lab (stun-lab-facts.md). Priority 110 puts
 *  the router's masquerade after miniupnpd's own postrouting chain (priority 100). */
export function natRuleset(kind: 'masquerade' | 'random', oif: string, priority: number): string {
  const how = kind === 'random' ? 'masquerade random,fully-random' : 'masquerade';
  return `table ip pp_masq {\n  chain postrouting { type nat hook postrouting priority ${priority}; policy accept; oifname "${oif}" ${how}; }\n}\n`;
}
