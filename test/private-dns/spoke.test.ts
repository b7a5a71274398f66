import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { ACCOUNTS, AZS, DC_DNS, nagFindings, networkVpc, spokeVpc, stackIn } from './fixtures';
import { HubProfileLookup, PrivateDnsHub, PrivateDnsSpoke, PrivateDnsSpokeProps } from '../../src/private-dns';

function prodSpoke(overrides: Partial<PrivateDnsSpokeProps> = {}) {
  const stack = stackIn(ACCOUNTS.prod);
  const vpc = spokeVpc(stack, '10.0.0.0/18');
  const spoke = new PrivateDnsSpoke(stack, 'Dns', { vpc, zoneName: 'prod.internal', hubAccount: ACCOUNTS.network, ...overrides });
  return { stack, vpc, spoke };
}

function customResources(template: Template): Record<string, any> {
  return template.findResources('Custom::AWS');
}

/** The SDK call of a Custom::AWS resource, with CloudFormation intrinsics left as they are. */
function sdkCall(stack: Stack, resource: any): any {
  const create = stack.resolve(resource.Properties.Create);
  return typeof create === 'string' ? JSON.parse(create) : create;
}

describe('PrivateDnsSpoke', () => {
  test('GIVEN Prod THEN prod.internal is created and associated with the Prod VPC', () => {
    const { stack, vpc } = prodSpoke();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53::HostedZone', 1);
    template.hasResourceProperties('AWS::Route53::HostedZone', {
      Name: 'prod.internal.',
      VPCs: [{ VPCId: stack.resolve(vpc.vpcId), VPCRegion: 'ap-northeast-1' }],
    });
  });

  test('THEN the hub Profile is looked up through the RAM share of this zone, with one read-only action each', () => {
    const { stack } = prodSpoke();
    const template = Template.fromStack(stack);
    const resources = customResources(template);
    expect(Object.keys(resources)).toHaveLength(2);
    const calls = Object.values(resources).map((r) => sdkCall(stack, r));
    expect(calls[0]).toEqual({
      service: 'RAM',
      action: 'getResourceShares',
      parameters: { resourceOwner: 'OTHER-ACCOUNTS', name: 'gov-private-dns-zone-prod.internal', resourceShareStatus: 'ACTIVE' },
      physicalResourceId: { id: '222222222222/gov-private-dns-zone-prod.internal' },
      outputPaths: ['resourceShares.0.resourceShareArn'],
    });
    const listResources = JSON.stringify(resources[Object.keys(resources)[1]].Properties.Create);
    expect(listResources).toContain('\\"action\\":\\"listResources\\"');
    expect(listResources).toContain('\\"resourceType\\":\\"route53profiles:Profile\\"');
    expect(listResources).toContain('resourceShares.0.resourceShareArn');
    for (const resource of Object.values(resources)) {
      expect(resource.Properties.InstallLatestAwsSdk).toBe(false);
    }
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: 'ram:GetResourceShares', Effect: 'Allow', Resource: '*' }] } });
    template.hasResourceProperties('AWS::IAM::Policy', { PolicyDocument: { Statement: [{ Action: 'ram:ListResources', Effect: 'Allow', Resource: '*' }] } });
  });

  test('THEN the Profile is accepted only from the share ID under the hub account: a same-named share of another account matches nothing', () => {
    const { stack } = prodSpoke();
    const template = Template.fromStack(stack);
    const resources = customResources(template);
    const [shareLookup, profileLookup] = Object.keys(resources);
    // The ListResources call names the candidate share by its ID re-homed to the hub account 222222222222.
    const pinnedShareArn = {
      'Fn::Join': ['', [
        'arn:', { Ref: 'AWS::Partition' }, ':ram:ap-northeast-1:222222222222:resource-share/',
        { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [shareLookup, 'resourceShares.0.resourceShareArn'] }] }] },
      ]],
    };
    const create = resources[profileLookup].Properties.Create['Fn::Join'][1];
    const text = create.map((part: unknown) => (typeof part === 'string' ? part : '<token>')).join('');
    expect(text).toBe('{"service":"RAM","action":"listResources","parameters":{"resourceOwner":"OTHER-ACCOUNTS",' +
      '"resourceShareArns":["arn:<token>:ram:ap-northeast-1:222222222222:resource-share/<token>"],"resourceType":"route53profiles:Profile"},' +
      '"physicalResourceId":{"id":"arn:<token>:ram:ap-northeast-1:222222222222:resource-share/<token>"},"outputPaths":["resources.0.arn"]}');
    const tokens = create.filter((part: unknown) => typeof part !== 'string');
    expect(tokens).toContainEqual(pinnedShareArn['Fn::Join'][1][3]);
    expect(tokens).toContainEqual({ Ref: 'AWS::Partition' });
  });

  test('THEN the zone is added to the hub Profile and the Profile is associated with the Prod VPC', () => {
    const { stack, vpc, spoke } = prodSpoke();
    const template = Template.fromStack(stack);
    const resources = customResources(template);
    const [profileLookup] = Object.keys(resources).filter((id) => JSON.stringify(resources[id].Properties.Create).includes('listResources'));
    const profileId = { 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [profileLookup, 'resources.0.arn'] }] }] };
    template.hasResourceProperties('AWS::Route53Profiles::ProfileResourceAssociation', {
      Name: 'zone-prod-internal',
      ProfileId: profileId,
      ResourceArn: stack.resolve(spoke.privateZone.hostedZoneArn),
    });
    template.hasResourceProperties('AWS::Route53Profiles::ProfileAssociation', {
      Name: 'gov-private-dns-vpc-prod-internal',
      ProfileId: profileId,
      ResourceId: stack.resolve(vpc.vpcId),
    });
    expect(stack.resolve(spoke.hubProfileId)).toEqual(profileId);
  });

  test('THEN cdk-nag AwsSolutions and NIST 800-53 R5 find nothing', () => {
    const { stack } = prodSpoke();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN a known Profile ID THEN no lookup is deployed', () => {
    const { stack } = prodSpoke({ hubProfileId: 'rp-0123456789abcdef' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('Custom::AWS', 0);
    template.hasResourceProperties('AWS::Route53Profiles::ProfileResourceAssociation', { ProfileId: 'rp-0123456789abcdef' });
    template.hasResourceProperties('AWS::Route53Profiles::ProfileAssociation', { ProfileId: 'rp-0123456789abcdef' });
    expect(nagFindings(stack)).toEqual([]);
  });

  test('GIVEN associateHubProfile false THEN only the zone is contributed', () => {
    const { stack, spoke } = prodSpoke({ associateHubProfile: false, hubName: 'city-dns' });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Route53Profiles::ProfileAssociation', 0);
    template.resourceCountIs('AWS::Route53Profiles::ProfileResourceAssociation', 1);
    expect(spoke.hubProfileAssociation).toBeUndefined();
    expect(JSON.stringify(template.findResources('Custom::AWS'))).toContain('city-dns-zone-prod.internal');
  });

  test('GIVEN a zone name with capitals and a trailing dot THEN the zone is created in canonical form', () => {
    const { stack } = prodSpoke({ zoneName: 'Prod.Internal.' });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::Route53::HostedZone', { Name: 'prod.internal.' });
    expect(JSON.stringify(template.findResources('Custom::AWS'))).toContain('gov-private-dns-zone-prod.internal\\"');
  });

  test('other constructs register records through privateZone, a standard IPrivateHostedZone', () => {
    const { stack, spoke } = prodSpoke();
    new route53.ARecord(stack, 'Sftp', { zone: spoke.privateZone, recordName: 'sftp', target: route53.RecordTarget.fromIpAddresses('10.0.20.10', '10.0.20.40') });
    new route53.CnameRecord(stack, 'Db', { zone: spoke.privateZone, recordName: 'db', domainName: 'prod-db.abcdefghij.ap-northeast-1.rds.amazonaws.com' });
    const template = Template.fromStack(stack);
    const zoneId = stack.resolve(spoke.privateZone.hostedZoneId);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'sftp.prod.internal.', Type: 'A', HostedZoneId: zoneId, ResourceRecords: ['10.0.20.10', '10.0.20.40'],
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: 'db.prod.internal.', Type: 'CNAME', HostedZoneId: zoneId, ResourceRecords: ['prod-db.abcdefghij.ap-northeast-1.rds.amazonaws.com'],
    });
  });

  test('GIVEN neither hubAccount nor hubProfileId THEN the spoke refuses to look up a Profile of any account', () => {
    const stack = stackIn(ACCOUNTS.prod);
    const vpc = spokeVpc(stack, '10.0.0.0/18');
    expect(() => new PrivateDnsSpoke(stack, 'Dns', { vpc, zoneName: 'prod.internal' })).toThrow(
      'Invalid PrivateDnsSpoke props at Stack/Dns (1 problem):\n' +
      '  - `hubAccount` (undefined) is required to look up the hub\'s Profile; give the ID of the Network account that owns the PrivateDnsHub (e.g. 222222222222), or pass `hubProfileId`.');
  });

  test('GIVEN a malformed hub account or this stack\'s own account THEN the error says which account to give', () => {
    const stack = stackIn(ACCOUNTS.prod);
    const vpc = spokeVpc(stack, '10.0.0.0/18');
    expect(() => new PrivateDnsSpoke(stack, 'Dns', { vpc, zoneName: 'prod.internal', hubAccount: '22222222222' })).toThrow(
      '  - `hubAccount` 22222222222 is not an AWS account ID; use the 12 digits of the account.');
    expect(() => new PrivateDnsSpoke(stack, 'Dns2', { vpc, zoneName: 'prod.internal', hubAccount: ACCOUNTS.prod })).toThrow(
      '  - `hubAccount` 333333333333 is this stack\'s own account; the hub\'s Profile is looked up among shares of other accounts, so give the Network account that owns the PrivateDnsHub, or pass `hubProfileId` when the hub is in this account.');
  });

  test('HubProfileLookup on its own (a read-only consumer) also pins the owner account', () => {
    const stack = stackIn(ACCOUNTS.dev);
    const lookup = new HubProfileLookup(stack, 'Hub', { resourceShareName: PrivateDnsHub.consumerShareName('gov-private-dns'), ownerAccount: ACCOUNTS.network });
    const template = Template.fromStack(stack);
    expect(JSON.stringify(template.findResources('Custom::AWS'))).toContain('ram:ap-northeast-1:222222222222:resource-share/');
    expect(stack.resolve(lookup.profileId)).toEqual({ 'Fn::Select': [1, { 'Fn::Split': ['/', { 'Fn::GetAtt': [expect.stringMatching(/^HubProfile/), 'resources.0.arn'] }] }] });
    expect(() => new HubProfileLookup(stack, 'Bad', { resourceShareName: 'x', ownerAccount: 'network' })).toThrow(
      'Invalid HubProfileLookup props at Stack/Bad (1 problem):\n  - `ownerAccount` network is not an AWS account ID; use the 12 digits of the account.');
  });

  test('GIVEN an invalid zone, hub name and Profile ID THEN one error lists each', () => {
    const stack = stackIn(ACCOUNTS.prod);
    const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: AZS, natGateways: 0, enableDnsHostnames: false, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
    expect(() => new PrivateDnsSpoke(stack, 'Dns', { vpc, zoneName: 'prod..internal', hubName: '-dns', hubProfileId: 'profile-1' })).toThrow([
      'Invalid PrivateDnsSpoke props at Stack/Dns (4 problems):',
      '  - `zoneName` prod..internal is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.',
      '  - `hubName` -dns is not a valid hub name; use 1-32 letters, digits and hyphens, starting and ending with a letter or digit.',
      '  - `hubProfileId` profile-1 is not a Route 53 Profile ID; use the rp-... ID from the hub stack\'s ProfileIdOutput, or omit it to look the Profile up.',
      '  - `vpc` Stack/Vpc has DNS support or DNS hostnames disabled; private hosted zones and Resolver endpoints need both, so set enableDnsSupport and enableDnsHostnames to true.',
    ].join('\n'));
  });
});

describe('PrivateDnsHub and PrivateDnsSpoke together (Network, Prod, Dev)', () => {
  test('each spoke looks up exactly the share the hub creates for its zone, and may add exactly its zone', () => {
    const app = new App({ context: Object.fromEntries(Object.values(ACCOUNTS).map((a) => [`availability-zones:account=${a}:region=ap-northeast-1`, AZS])) });
    const env = (account: string) => ({ account, region: 'ap-northeast-1' });
    const network = new Stack(app, 'Network', { env: env(ACCOUNTS.network) });
    new PrivateDnsHub(network, 'Dns', {
      vpc: networkVpc(network),
      inboundSubnets: { subnetGroupName: 'resolver-in' },
      outboundSubnets: { subnetGroupName: 'resolver-out' },
      inboundIpAddresses: ['192.168.60.10', '192.168.60.26'],
      dataCentreDnsServers: DC_DNS,
      forwardingRules: [{ domainName: 'onprem.example.local' }],
      spokeZones: [{ zoneName: 'prod.internal', principals: [ACCOUNTS.prod] }, { zoneName: 'dev.internal', principals: [ACCOUNTS.dev] }],
    });
    const spokes: Array<[Stack, string]> = [];
    for (const [name, account, cidr, zone] of [['Prod', ACCOUNTS.prod, '10.0.0.0/18', 'prod.internal'], ['Dev', ACCOUNTS.dev, '10.0.64.0/18', 'dev.internal']]) {
      const stack = new Stack(app, name, { env: env(account) });
      new PrivateDnsSpoke(stack, 'Dns', { vpc: spokeVpc(stack, cidr), zoneName: zone, hubAccount: ACCOUNTS.network });
      spokes.push([stack, account]);
    }
    const hubTemplate = Template.fromStack(network);
    for (const [stack, account] of spokes) {
      const template = Template.fromStack(stack);
      const [lookup] = Object.values(template.findResources('Custom::AWS')).map((r) => sdkCall(stack, r)).filter((c) => c.action === 'getResourceShares');
      const shares = hubTemplate.findResources('AWS::RAM::ResourceShare', { Properties: { Name: lookup.parameters.name } });
      expect(Object.keys(shares)).toHaveLength(1);
      const share = Object.values(shares)[0];
      expect(share.Properties.Principals).toEqual([account]);
      const permission = hubTemplate.findResources('AWS::RAM::Permission')[share.Properties.PermissionArns[0]['Fn::GetAtt'][0]];
      const zoneName = template.findResources('AWS::Route53::HostedZone', {});
      expect(`${permission.Properties.PolicyTemplate.Condition.StringEqualsIfExists['route53profiles:HostedZoneDomains']}.`)
        .toEqual(Object.values(zoneName)[0].Properties.Name);
      template.hasResourceProperties('AWS::Route53Profiles::ProfileResourceAssociation', { ResourceArn: Match.anyValue() });
    }
  });
});
