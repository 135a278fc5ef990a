import { describe, expect, it } from 'vitest';
import { firewallAdvice, firewallFinding, macAppBundle, type FirewallFacts } from './firewall-advice';

const blocked = (o: Partial<FirewallFacts>): FirewallFacts => ({
  platform: 'win32',
  protocol: 'udp',
  port: 47123,
  mappingExists: true,
  inboundReceived: false,
  ...o,
});

describe('PC firewall advice', () => {
  it('is silent when the probe arrived, or when the mapping is missing (the router is the suspect then)', () => {
    expect(firewallAdvice(blocked({ inboundReceived: true }))).toBeNull();
    expect(firewallAdvice(blocked({ mappingExists: false }))).toBeNull();
  });

  it('Windows: the first-listen prompt, the app list per profile, a Block rule, and a rule for the UDP port', () => {
    const exe = 'C:\\Users\\Jörg Müller\\AppData\\Local\\Programs\\PortPilot\\PortPilot.exe';
    const a = firewallAdvice(blocked({ executable: exe }));
    expect(a?.title).toBe('Windows Defender Firewall may be blocking PortPilot');
    expect(a?.detail).toContain('UDP 47123');
    expect(a?.detail).toContain('Windows Defender Firewall has blocked some features of this app');
    expect(a?.checks[0]).toMatch(/^Windows Security → Firewall & network protection → Allow an app through firewall/);
    expect(a?.checks.join('\n')).toMatch(/Action “Block” wins over every allow rule/);
    expect(a?.commands[0]).toBe(
      `Get-NetFirewallApplicationFilter -Program "${exe}" | Get-NetFirewallRule | Format-Table DisplayName,Enabled,Profile,Direction,Action`,
    );
    expect(a?.fix).toBe(
      `New-NetFirewallRule -DisplayName "PortPilot UDP 47123" -Direction Inbound -Protocol UDP -LocalPort 47123 -Program "${exe}" -Action Allow -Profile Private`,
    );
  });

  it('macOS: the application firewall’s exact settings, and socketfilterfw on the app bundle', () => {
    const a = firewallAdvice(
      blocked({ platform: 'darwin', executable: '/Applications/Port "Pilot".app/Contents/MacOS/PortPilot' }),
    );
    expect(a?.checks[0]).toMatch(/^System Settings → Network → Firewall → Options…/);
    expect(a?.checks[1]).toBe('“Block all incoming connections” must be off.');
    expect(a?.commands).toContain(
      '/usr/libexec/ApplicationFirewall/socketfilterfw --getappblocked "/Applications/Port \\"Pilot\\".app"',
    );
    expect(a?.fix).toMatch(/^sudo \/usr\/libexec\/ApplicationFirewall\/socketfilterfw --unblockapp /);
  });

  it('Linux: ufw and firewalld, with the port and protocol', () => {
    const a = firewallAdvice(blocked({ platform: 'linux', protocol: 'tcp', port: 3074 }));
    expect(a?.fix).toBe('sudo ufw allow 3074/tcp   (firewalld: sudo firewall-cmd --add-port=3074/tcp)');
  });

  it('becomes the pc-firewall finding with the commands as evidence', () => {
    const a = firewallAdvice(blocked({}));
    if (!a) throw new Error('advice expected');
    expect(firewallFinding(a)).toMatchObject({
      id: 'pc-firewall',
      severity: 'error',
      title: a.title,
      evidence: [expect.stringMatching(/^to see the state: Get-NetFirewallApplicationFilter/), expect.any(String)],
    });
  });

  it('finds the bundle a macOS firewall lists', () => {
    expect(macAppBundle('/Applications/PortPilot.app/Contents/MacOS/PortPilot')).toBe('/Applications/PortPilot.app');
    expect(macAppBundle('/usr/local/bin/node')).toBe('/usr/local/bin/node');
  });
});
