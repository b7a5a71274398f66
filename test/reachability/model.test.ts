import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Scenario } from './scenario';
import { writeAssembly } from './templates';
import { Ipv4Cidr } from '../../src/private/cidr';
import { FlowProtocol, ModelIssueKind, NetworkEndpoint as E, ReachabilityModel } from '../../src/reachability';
import { aggregate, atoms } from '../../src/reachability/private/atoms';

const cidrs = (...list: string[]) => list.map((c) => Ipv4Cidr.parse(c));

describe('atoms and aggregation', () => {
  test('a range is split so that every boundary contains an atom or misses it', () => {
    expect(atoms(Ipv4Cidr.parse('10.0.0.0/16'), cidrs('10.0.0.0/18', '10.0.200.10/32', '0.0.0.0/0', '192.168.0.0/16')).map(String)).toEqual([
      '10.0.0.0/18', '10.0.64.0/18', '10.0.128.0/18', '10.0.192.0/21', '10.0.200.0/29', '10.0.200.8/31', '10.0.200.10/32', '10.0.200.11/32',
      '10.0.200.12/30', '10.0.200.16/28', '10.0.200.32/27', '10.0.200.64/26', '10.0.200.128/25', '10.0.201.0/24', '10.0.202.0/23',
      '10.0.204.0/22', '10.0.208.0/20', '10.0.224.0/19',
    ]);
    expect(atoms(Ipv4Cidr.parse('172.16.0.0/16'), cidrs('172.16.0.0/12', '10.0.0.0/8')).map(String)).toEqual(['172.16.0.0/16']);
  });

  test('aggregation joins siblings and drops nested and duplicate ranges', () => {
    expect(aggregate(atoms(Ipv4Cidr.parse('10.0.0.0/16'), cidrs('10.0.200.10/32'))).map(String)).toEqual(['10.0.0.0/16']);
    expect(aggregate(cidrs('10.0.1.0/24', '10.0.0.0/24', '10.0.0.128/25', '10.0.3.0/24', '10.0.1.0/24')).map(String)).toEqual(['10.0.0.0/23', '10.0.3.0/24']);
    expect(aggregate(cidrs('10.0.1.0/24', '10.0.2.0/24')).map(String)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
  });
});

describe('model options', () => {
  test('every problem in the options is reported in one error', () => {
    const s = new Scenario();
    s.sites = [
      { name: 'bad name', cidrs: ['10.0.0.0/33'], vpnConnection: 'Net/DcVpn' },
      { name: 'dc', cidrs: [], vpnConnection: 'Net/DcVpn', customerGatewayAddress: '198.51.100.20' },
      { name: 'dc', cidrs: ['10.0.5.1/24'], advertisedCidrs: ['300.0.0.0/8'] },
      { name: 'users', cidrs: ['172.16.0.0/16'], customerGatewayAddress: '198.51.100.300' },
    ];
    expect(() => s.model({ ephemeralPortFrom: 70000, ephemeralPortTo: 1024 })).toThrow([
      'Invalid ReachabilityModel options (11 problems):',
      '  - `ephemeralPortFrom` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `ephemeralPortFrom` 70000 is above `ephemeralPortTo` 1024; give the lowest port first.',
      '  - `onPremisesSites[0].name` "bad name" is not a site name; use letters, digits, dots, hyphens and underscores, e.g. dc-backup-server.',
      '  - `onPremisesSites[0].cidrs[0]` 10.0.0.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '  - `onPremisesSites[1].cidrs` [] is empty; give the site\'s addresses, e.g. ["10.0.200.10/32"].',
      '  - `onPremisesSites[1]` dc names both `vpnConnection` and `customerGatewayAddress`; give exactly one, so that the site sits behind one VPN.',
      '  - `onPremisesSites[2].name` dc is declared twice; give every site its own name.',
      '  - `onPremisesSites[2].cidrs[0]` 10.0.5.1/24 has host bits set; its network address is 10.0.5.0/24.',
      '  - `onPremisesSites[2].advertisedCidrs[0]` 300.0.0.0/8 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '  - `onPremisesSites[2]` dc names neither `vpnConnection` nor `customerGatewayAddress`; give exactly one, so that the site sits behind one VPN.',
      '  - `onPremisesSites[3].customerGatewayAddress` 198.51.100.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
    ].join('\n'));
  });

  test('a site whose VPN cannot be found, and an external ID that selects nothing, are reported', () => {
    const s = new Scenario();
    s.sites = [
      { name: 'a', cidrs: ['10.1.0.0/16'], vpnConnection: 'Net/NoSuchVpn' },
      { name: 'b', cidrs: ['10.2.0.0/16'], customerGatewayAddress: '192.0.2.1' },
    ];
    expect(() => s.model({ externalIds: { 'tgw-1': 'Nowhere/Tgw' } })).toThrow([
      'Invalid ReachabilityModel options (1 problem):',
      '  - `externalIds.tgw-1` Nowhere/Tgw selects nothing in the cloud assembly; use a construct path such as Net/Tgw.',
    ].join('\n'));
    expect(() => s.model()).toThrow([
      'Invalid ReachabilityModel options (2 problems):',
      '  - `onPremisesSites[0].vpnConnection` Net/NoSuchVpn selects nothing in the cloud assembly; use a construct path such as Net/DcVpn.',
      '  - `onPremisesSites[1].customerGatewayAddress` 192.0.2.1 is the address of no customer gateway of a VPN on a transit gateway in this assembly ' +
        '(VPNs: Net/DcVpn (VPN attachment) 198.51.100.20, Net/UserVpn (VPN attachment) 198.51.100.10).',
    ].join('\n'));
  });

  test('a directory without a manifest is not a cloud assembly', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'empty-'));
    expect(() => ReachabilityModel.fromAssemblyDirectory(dir)).toThrow(`${dir} is not a cloud assembly: it has no manifest.json. Synthesize the app first (cdk synth, or app.synth()).`);
  });
});

describe('queries', () => {
  const model = new Scenario().model();

  test('bad ports and selectors are reported in one error', () => {
    expect(() => model.query(E.resource('Net/Nothing'), E.onPremises('nobody'), FlowProtocol.TCP, 0)).toThrow([
      'Invalid ReachabilityModel query (3 problems):',
      '  - `port` 0 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `source` resource Net/Nothing selects nothing in the cloud assembly; use a construct path such as Net/Server.',
      '  - `destination` on-premises nobody names no declared on-premises site; declare it in onPremisesSites (declared: dc-host, dc-summary, users).',
    ].join('\n'));
    expect(() => model.query(E.resource('Net/Vpc'), E.subnet('Net'), FlowProtocol.ICMP, 256)).toThrow([
      'Invalid ReachabilityModel query (3 problems):',
      '  - `port` 256 is not an ICMP type; use an integer from 0 to 255.',
      '  - `source` resource Net/Vpc selects Net/Vpc (AWS::EC2::VPC), which is not a resource with network interfaces.',
      '  - `destination` subnet Net selects 4 subnets (Net/AppA, Net/AppC, Net/TgwA, Net/TgwC); use a longer construct path.',
    ].join('\n'));
  });

  test('selectors accept construct paths with or without /Resource, Stack/LogicalId and unique logical IDs', () => {
    for (const selector of ['Net/Server', 'Net/Server/Resource', '/Net/Server', 'Server']) {
      expect(model.query(E.onPremises('dc-host'), E.resource(selector), FlowProtocol.TCP, 443).verdict).toBe('allowed');
    }
  });

  test('the model lists its endpoints and sites to help write selectors', () => {
    expect(model.endpointNames()).toEqual(['Net/Server (EC2 instance)']);
    expect(model.siteNames()).toEqual([
      'dc-host: 10.0.200.10/32 behind Net/DcVpn (VPN attachment)',
      'dc-summary: 10.0.0.0/16 behind Net/DcVpn (VPN attachment)',
      'users: 172.16.0.0/16 behind Net/UserVpn (VPN attachment)',
    ]);
  });
});

describe('types the model does not evaluate', () => {
  test('a resource in a VPC whose type is not modelled is listed, and selecting it says so', () => {
    const s = new Scenario();
    s.t.add('Cache', 'AWS::ElastiCache::CacheCluster', { CacheNodeType: 'cache.t4g.micro', Engine: 'redis', NumCacheNodes: 1, VpcSecurityGroupIds: [{ Ref: 'ServerSg' }] });
    s.t.add('Peering', 'AWS::EC2::VPCPeeringConnection', { VpcId: { Ref: 'Vpc' }, PeerVpcId: 'vpc-1' });
    const model = s.model();
    expect(model.issues).toEqual(expect.arrayContaining([
      {
        kind: ModelIssueKind.NOT_MODELLED,
        resource: 'Net/Cache',
        resourceType: 'AWS::ElastiCache::CacheCluster',
        property: undefined,
        reason: 'AWS::ElastiCache::CacheCluster sits in VPC subnets or has security groups, but the type is not modelled; flows to or from it are not evaluated',
      },
      {
        kind: ModelIssueKind.NOT_MODELLED,
        resource: 'Net/Peering',
        resourceType: 'AWS::EC2::VPCPeeringConnection',
        property: undefined,
        reason: 'VPC peering is not modelled; routes to it are reported as unknown',
      },
    ]));
    expect(() => model.query(E.resource('Net/Cache'), E.resource('Net/Server'), FlowProtocol.TCP, 443)).toThrow(
      '`source` resource Net/Cache selects Net/Cache (AWS::ElastiCache::CacheCluster), which the model does not evaluate: ' +
      'AWS::ElastiCache::CacheCluster sits in VPC subnets or has security groups, but the type is not modelled; flows to or from it are not evaluated');
  });

  test('an environment-agnostic stack is read, with its account reported as unknown', () => {
    const s = new Scenario();
    const dir = writeAssembly(s.t);
    const manifest = JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf-8'));
    manifest.artifacts.Net.environment = 'aws://unknown-account/unknown-region';
    fs.writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(manifest));
    const model = ReachabilityModel.fromAssemblyDirectory(dir, { onPremisesSites: s.sites });
    expect(model.summary.accounts).toEqual(['unknown']);
    expect(model.query(E.onPremises('dc-host'), E.resource('Net/Server'), FlowProtocol.TCP, 443).verdict).toBe('allowed');
  });
});
