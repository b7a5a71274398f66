import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ACCOUNTS, DC_DNS, nagFindings, networkVpc, stackIn } from './fixtures';
import { PrivateDnsHub, PrivateDnsHubProps, QueryLogDestination } from '../../src/private-dns';

const RESOLVER_IN = { subnetGroupName: 'resolver-in' };
const RESOLVER_OUT = { subnetGroupName: 'resolver-out' };

/** The reference Network-account configuration of the lead's guidance. */
function referenceHub(overrides: Partial<PrivateDnsHubProps> = {}) {
  const stack = stackIn(ACCOUNTS.network);
  const vpc = networkVpc(stack);
  const hub = new PrivateDnsHub(stack, 'Dns', {
    vpc,
    inboundSubnets: RESOLVER_IN,
    outboundSubnets: RESOLVER_OUT,
    inboundIpAddresses: ['192.168.60.10', '192.168.60.26'],
    dataCentreDnsServers: DC_DNS,
    forwardingRules: [{ domainName: 'onprem.example.local' }],
    spokeZones: [
      { zoneName: 'prod.internal', principals: [ACCOUNTS.prod] },
      { zoneName: 'dev.internal', principals: [ACCOUNTS.dev] },
    ],
    ...overrides,
  });
  return { stack, vpc, hub, template: Template.fromStack(stack) };
}

function subnetRef(template: Template, cidr: string): { Ref: string } {
  const [id] = Object.keys(template.findResources('AWS::EC2::Subnet', { Properties: { CidrBlock: cidr } }));
  return { Ref: id };
}

function sgRules(template: Template, description: RegExp, key: 'SecurityGroupIngress' | 'SecurityGroupEgress') {
  const groups = Object.values(template.findResources('AWS::EC2::SecurityGroup'))
    .filter((g) => description.test(g.Properties.GroupDescription));
  expect(groups).toHaveLength(1);
  return (groups[0].Properties[key] ?? []).map((r: any) => `${r.IpProtocol} ${r.FromPort}-${r.ToPort} ${r.CidrIp}`);
}

describe('PrivateDnsHub, reference configuration', () => {
  test('GIVEN the reference plan WHEN synthesized THEN both endpoints sit in their subnets, inbound at the fixed IPs', () => {
    const { template } = referenceHub();
    template.resourceCountIs('AWS::Route53Resolver::ResolverEndpoint', 2);
    template.hasResourceProperties('AWS::Route53Resolver::ResolverEndpoint', {
      Direction: 'INBOUND',
      ResolverEndpointType: 'IPV4',
      Protocols: ['Do53'],
      IpAddresses: [
        { SubnetId: subnetRef(template, '192.168.60.0/28'), Ip: '192.168.60.10' },
        { SubnetId: subnetRef(template, '192.168.60.16/28'), Ip: '192.168.60.26' },
      ],
    });
    template.hasResourceProperties('AWS::Route53Resolver::ResolverEndpoint', {
      Direction: 'OUTBOUND',
      IpAddresses: [
        { SubnetId: subnetRef(template, '192.168.61.0/28') },
        { SubnetId: subnetRef(template, '192.168.61.16/28') },
      ],
    });
  });

  test('THEN the inbound SG allows TCP and UDP 53 from the DC DNS servers only, and the outbound SG only reaches them', () => {
    const { template } = referenceHub();
    expect(sgRules(template, /inbound endpoint/, 'SecurityGroupIngress')).toEqual([
      'udp 53-53 10.0.250.10/32', 'tcp 53-53 10.0.250.10/32', 'udp 53-53 10.0.250.11/32', 'tcp 53-53 10.0.250.11/32',
    ]);
    // allowAllOutbound: false renders CDK's placeholder rule that matches no traffic.
    expect(sgRules(template, /inbound endpoint/, 'SecurityGroupEgress')).toEqual(['icmp 252-86 255.255.255.255/32']);
    expect(sgRules(template, /outbound endpoint/, 'SecurityGroupIngress')).toEqual([]);
    expect(sgRules(template, /outbound endpoint/, 'SecurityGroupEgress')).toEqual([
      'udp 53-53 10.0.250.10/32', 'tcp 53-53 10.0.250.10/32', 'udp 53-53 10.0.250.11/32', 'tcp 53-53 10.0.250.11/32',
    ]);
  });

  test('THEN the onprem.example.local rule forwards to the DC DNS servers on 53 through the outbound endpoint', () => {
    const { template, hub, stack } = referenceHub();
    template.resourceCountIs('AWS::Route53Resolver::ResolverRule', 1);
    template.hasResourceProperties('AWS::Route53Resolver::ResolverRule', {
      RuleType: 'FORWARD',
      DomainName: 'onprem.example.local',
      Name: 'gov-private-dns-onprem-example-local',
      ResolverEndpointId: { 'Fn::GetAtt': [stack.getLogicalId(hub.outboundEndpoint), 'ResolverEndpointId'] },
      TargetIps: [{ Ip: '10.0.250.10', Port: '53' }, { Ip: '10.0.250.11', Port: '53' }],
    });
  });

  test('THEN the Profile carries the rule and the query logging, and is associated with the Network VPC', () => {
    const { template, hub, stack, vpc } = referenceHub();
    const profileId = { 'Fn::GetAtt': [stack.getLogicalId(hub.profile), 'Id'] };
    template.hasResourceProperties('AWS::Route53Profiles::Profile', { Name: 'gov-private-dns' });
    template.hasResourceProperties('AWS::Route53Profiles::ProfileResourceAssociation', {
      ProfileId: profileId,
      ResourceArn: { 'Fn::GetAtt': [stack.getLogicalId(hub.forwardingRules[0]), 'Arn'] },
    });
    template.hasResourceProperties('AWS::Route53Profiles::ProfileResourceAssociation', {
      ProfileId: profileId,
      ResourceArn: { 'Fn::GetAtt': [stack.getLogicalId(hub.queryLoggingConfig), 'Arn'] },
    });
    template.resourceCountIs('AWS::Route53Profiles::ProfileAssociation', 1);
    template.hasResourceProperties('AWS::Route53Profiles::ProfileAssociation', {
      ProfileId: profileId,
      ResourceId: stack.resolve(vpc.vpcId),
    });
    // Exposed for callers that must wait for it.
    expect(stack.resolve(hub.networkVpcProfileAssociation.profileId)).toEqual(profileId);
    expect(stack.resolve(hub.networkVpcProfileAssociation.resourceId)).toEqual(stack.resolve(vpc.vpcId));
    // Associated through the Profile only: a direct association of the Network VPC would log twice.
    template.resourceCountIs('AWS::Route53Resolver::ResolverRuleAssociation', 0);
    template.resourceCountIs('AWS::Route53Resolver::ResolverQueryLoggingConfigAssociation', 0);
  });

  test('THEN each spoke zone gets its own RAM share of the Profile, limited to adding exactly that zone', () => {
    const { template, hub, stack } = referenceHub();
    for (const [zone, account] of [['prod.internal', ACCOUNTS.prod], ['dev.internal', ACCOUNTS.dev]]) {
      const permissions = template.findResources('AWS::RAM::Permission', {
        Properties: { Name: `gov-private-dns-${zone}`, ResourceType: 'route53profiles:Profile' },
      });
      expect(Object.keys(permissions)).toHaveLength(1);
      const [permissionId, permission] = Object.entries(permissions)[0];
      // zonePermissions exposes them in the order of spokeZones.
      expect(stack.getLogicalId(hub.zonePermissions[zone === 'prod.internal' ? 0 : 1])).toBe(permissionId);
      expect(permission.Properties.PolicyTemplate).toEqual({
        Effect: 'Allow',
        Action: [
          'route53profiles:AssociateProfile',
          'route53profiles:DisassociateProfile',
          'route53profiles:GetProfile',
          'route53profiles:GetProfileResourceAssociation',
          'route53profiles:ListProfileResourceAssociations',
          'route53profiles:AssociateResourceToProfile',
          'route53profiles:DisassociateResourceFromProfile',
        ],
        Condition: { StringEqualsIfExists: { 'route53profiles:ResourceTypes': 'HostedZone', 'route53profiles:HostedZoneDomains': zone } },
      });
      template.hasResourceProperties('AWS::RAM::ResourceShare', {
        Name: `gov-private-dns-zone-${zone}`,
        ResourceArns: [{ 'Fn::GetAtt': [stack.getLogicalId(hub.profile), 'Arn'] }],
        Principals: [account],
        AllowExternalPrincipals: false,
        PermissionArns: [{ 'Fn::GetAtt': [permissionId, 'Arn'] }],
      });
    }
  });

  test('THEN the rules are not shared on their own: the Profile already carries them to every spoke', () => {
    const { template, hub } = referenceHub();
    template.resourceCountIs('AWS::RAM::ResourceShare', 2);
    expect(Object.keys(template.findResources('AWS::RAM::ResourceShare', { Properties: { Name: 'gov-private-dns-forwarding-rules' } }))).toEqual([]);
    expect(hub.ruleShare).toBeUndefined();
    expect(hub.zonePermissions).toHaveLength(2);
  });

  test('GIVEN shareRulesDirectly THEN the rules are also shared directly with every spoke, external principals off', () => {
    const { template, hub, stack } = referenceHub({ shareRulesDirectly: true });
    expect(hub.ruleShare).toBeDefined();
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'gov-private-dns-forwarding-rules',
      ResourceArns: [{ 'Fn::GetAtt': [stack.getLogicalId(hub.forwardingRules[0]), 'Arn'] }],
      Principals: [ACCOUNTS.prod, ACCOUNTS.dev],
      AllowExternalPrincipals: false,
      PermissionArns: Match.absent(),
    });
    template.resourceCountIs('AWS::RAM::ResourceShare', 3);
  });

  test('THEN query logs go to a KMS-encrypted log group kept for a year and retained on delete', () => {
    const { template, hub, stack } = referenceHub();
    template.hasResourceProperties('AWS::Route53Resolver::ResolverQueryLoggingConfig', {
      Name: 'gov-private-dns-query-logs',
      // The log group's ARN without the ":*" of its `Arn` attribute.
      DestinationArn: {
        'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:ap-northeast-1:${ACCOUNTS.network}:log-group:`,
          { Ref: stack.getLogicalId(hub.queryLogGroup!.node.defaultChild as logs.CfnLogGroup) }]],
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('DnsQueryLogKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    const [policy] = Object.values(template.findResources('AWS::Logs::ResourcePolicy'));
    const document = JSON.stringify(policy.Properties.PolicyDocument);
    expect(document).toContain('\\"Principal\\":{\\"Service\\":\\"delivery.logs.amazonaws.com\\"}');
    expect(document).toContain('\\"Action\\":[\\"logs:CreateLogStream\\",\\"logs:PutLogEvents\\"]');
    expect(document).toContain(`\\"aws:SourceAccount\\":\\"${ACCOUNTS.network}\\"`);
    expect(document).toContain(stack.getLogicalId(hub.queryLogGroup!.node.defaultChild as logs.CfnLogGroup));
  });

  test('THEN the stack outputs tell the DC which zones to forward to which inbound IPs', () => {
    const { template } = referenceHub({ additionalForwardedZones: ['ssm.ap-northeast-1.amazonaws.com'] });
    const outputs = Object.values(template.findOutputs('*')).map((o) => o.Value);
    expect(outputs).toEqual(expect.arrayContaining([
      '192.168.60.10, 192.168.60.26',
      'prod.internal -> 192.168.60.10, 192.168.60.26',
      'dev.internal -> 192.168.60.10, 192.168.60.26',
      'ssm.ap-northeast-1.amazonaws.com -> 192.168.60.10, 192.168.60.26',
    ]));
  });

  test('THEN cdk-nag AwsSolutions and NIST 800-53 R5 find nothing', () => {
    const { stack } = referenceHub();
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('PrivateDnsHub, defaults and options', () => {
  function minimalHub(extra: Partial<PrivateDnsHubProps> = {}) {
    const stack = stackIn(ACCOUNTS.network);
    const hub = new PrivateDnsHub(stack, 'Dns', {
      vpc: networkVpc(stack), inboundSubnets: RESOLVER_IN, outboundSubnets: RESOLVER_OUT, dataCentreDnsServers: DC_DNS, ...extra,
    });
    return { stack, hub, template: Template.fromStack(stack) };
  }

  test('GIVEN no fixed IPs THEN Resolver chooses them, a least-privilege lookup reads them for the outputs, and synth warns', () => {
    const { stack, hub, template } = minimalHub();
    template.hasResourceProperties('AWS::Route53Resolver::ResolverEndpoint', {
      Direction: 'INBOUND', IpAddresses: [{ SubnetId: Match.anyValue(), Ip: Match.absent() }, { SubnetId: Match.anyValue(), Ip: Match.absent() }],
    });
    template.resourceCountIs('Custom::AWS', 2);
    const inboundId = stack.getLogicalId(hub.inboundEndpoint);
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: [{
          Action: 'route53resolver:ListResolverEndpointIpAddresses',
          Effect: 'Allow',
          Resource: { 'Fn::GetAtt': [inboundId, 'Arn'] },
        }],
      },
    });
    const lookups = template.findResources('Custom::AWS', { Properties: { InstallLatestAwsSdk: false } });
    const inboundLookup = Object.keys(lookups).find((id) => JSON.stringify(lookups[id].Properties.Create).includes(inboundId));
    expect(inboundLookup).toBeDefined();
    expect(JSON.stringify(lookups[inboundLookup!].Properties.Create)).toContain('listResolverEndpointIpAddresses');
    expect(stack.resolve(hub.inboundEndpointIps)).toEqual([
      { 'Fn::GetAtt': [inboundLookup, 'IpAddresses.0.Ip'] },
      { 'Fn::GetAtt': [inboundLookup, 'IpAddresses.1.Ip'] },
    ]);
    Annotations.fromStack(stack).hasWarning('/Stack/Dns', Match.stringLikeRegexp('no fixed IPs'));
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN no principals THEN nothing is shared; GIVEN no rules THEN the outbound SG has no egress at all', () => {
    const { template } = minimalHub();
    template.resourceCountIs('AWS::RAM::ResourceShare', 0);
    template.resourceCountIs('AWS::RAM::Permission', 0);
    template.resourceCountIs('AWS::Route53Resolver::ResolverRule', 0);
    expect(sgRules(template, /outbound endpoint/, 'SecurityGroupEgress')).toEqual(['icmp 252-86 255.255.255.255/32']);
  });

  test('GIVEN a rule with its own targets and port THEN the rule and the outbound SG use exactly them', () => {
    const { template } = minimalHub({ forwardingRules: [{ domainName: 'corp.example.', targetIps: ['10.0.250.12'], port: 5353, name: 'corp rule' }] });
    template.hasResourceProperties('AWS::Route53Resolver::ResolverRule', {
      DomainName: 'corp.example.', Name: 'corp rule', TargetIps: [{ Ip: '10.0.250.12', Port: '5353' }],
    });
    expect(sgRules(template, /outbound endpoint/, 'SecurityGroupEgress')).toEqual(['udp 5353-5353 10.0.250.12/32', 'tcp 5353-5353 10.0.250.12/32']);
  });

  test('GIVEN opted-in extra DNS sources THEN the inbound SG allows exactly them as well', () => {
    const { template } = minimalHub({ additionalInboundSourceCidrs: ['172.16.0.53', '172.16.1.0/29'] });
    expect(sgRules(template, /inbound endpoint/, 'SecurityGroupIngress')).toEqual([
      'udp 53-53 10.0.250.10/32', 'tcp 53-53 10.0.250.10/32', 'udp 53-53 10.0.250.11/32', 'tcp 53-53 10.0.250.11/32',
      'udp 53-53 172.16.0.53/32', 'tcp 53-53 172.16.0.53/32', 'udp 53-53 172.16.1.0/29', 'tcp 53-53 172.16.1.0/29',
    ]);
  });

  test('GIVEN the central archive bucket of the Security account THEN query logs go there and no log group is created', () => {
    const { template, hub } = minimalHub({
      queryLogDestination: QueryLogDestination.bucketArn('arn:aws:s3:::gov-hybrid-logs-111111111111', 'route53resolver'),
    });
    template.hasResourceProperties('AWS::Route53Resolver::ResolverQueryLoggingConfig', {
      DestinationArn: 'arn:aws:s3:::gov-hybrid-logs-111111111111/route53resolver',
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 1); // the fixture VPC's flow log only
    template.resourceCountIs('AWS::KMS::Key', 0);
    expect(hub.queryLogGroup).toBeUndefined();
  });

  test('GIVEN read-only consumers and shareRulesDirectly false THEN consumers get the AWS managed association-only permission and the rules are not shared', () => {
    const ou = 'arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefghij';
    const { template } = minimalHub({
      forwardingRules: [{ domainName: 'onprem.example.local' }],
      profileConsumers: [ou],
      shareRulesDirectly: false,
    });
    template.resourceCountIs('AWS::RAM::ResourceShare', 1);
    expect(PrivateDnsHub.consumerShareName('gov-private-dns')).toBe('gov-private-dns-profile');
    template.hasResourceProperties('AWS::RAM::ResourceShare', {
      Name: 'gov-private-dns-profile',
      Principals: [ou],
      AllowExternalPrincipals: false,
      PermissionArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ram::aws:permission/AWSRAMPermissionRoute53ProfileAllowAssociation']] }],
    });
  });

  test('GIVEN a long zone name THEN its RAM permission name is shortened to 36 characters and stays unique', () => {
    const zoneName = 'a-very-long-department-name.city-hall.internal';
    const { template } = minimalHub({ spokeZones: [{ zoneName, principals: [ACCOUNTS.prod] }], hubName: 'gov-dns' });
    const names = Object.values(template.findResources('AWS::RAM::Permission')).map((p) => p.Properties.Name as string);
    expect(names).toHaveLength(1);
    expect(names[0]).toMatch(/^gov-dns-a-very-long-departm-[0-9a-f]{8}$/);
    expect(names[0].length).toBeLessThanOrEqual(36);
    template.hasResourceProperties('AWS::RAM::ResourceShare', { Name: `gov-dns-zone-${zoneName}` });
  });

  test('GIVEN forwarded zone names that are tokens (e.g. endpoint DNS names with the URL suffix) THEN outputs are still produced', () => {
    const stack = stackIn(ACCOUNTS.network);
    new PrivateDnsHub(stack, 'Dns', {
      vpc: networkVpc(stack),
      inboundSubnets: RESOLVER_IN,
      outboundSubnets: RESOLVER_OUT,
      dataCentreDnsServers: DC_DNS,
      inboundIpAddresses: ['192.168.60.10', '192.168.60.26'],
      additionalForwardedZones: [`ssm.${stack.region}.${stack.urlSuffix}`],
    });
    const values = Object.values(Template.fromStack(stack).findOutputs('*')).map((o) => JSON.stringify(o.Value));
    expect(values.some((v) => v.includes('AWS::URLSuffix') && v.includes('192.168.60.10, 192.168.60.26'))).toBe(true);
  });

  test('connections exposes the inbound SG so further sources can be opted in explicitly', () => {
    const stack = stackIn(ACCOUNTS.network);
    const hub = new PrivateDnsHub(stack, 'Dns', {
      vpc: networkVpc(stack), inboundSubnets: RESOLVER_IN, outboundSubnets: RESOLVER_OUT, dataCentreDnsServers: DC_DNS,
    });
    hub.connections.allowFrom(ec2.Peer.ipv4('172.16.0.53/32'), ec2.Port.udp(53), 'user-site resolver');
    expect(sgRules(Template.fromStack(stack), /inbound endpoint/, 'SecurityGroupIngress')).toContain('udp 53-53 172.16.0.53/32');
  });
});
