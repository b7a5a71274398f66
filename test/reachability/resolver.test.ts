import { addLookup, getAtt, TemplateBuilder, writeAssembly } from './templates';
import { readAssembly } from '../../src/reachability/private/assembly';
import { Resolver } from '../../src/reachability/private/intrinsics';
import { defaultLookupRegistry, normaliseAction, normaliseService } from '../../src/reachability/private/lookups';
import { ModelResolverHost } from '../../src/reachability/private/network';
import { idSymbol, Unknown } from '../../src/reachability/private/values';

function resolverOf(literals: Record<string, string> = {}, ...stacks: TemplateBuilder[]): Resolver {
  const host = new ModelResolverHost(defaultLookupRegistry(), new Map(Object.entries(literals)));
  const resolver = new Resolver(readAssembly(writeAssembly(...stacks)), host);
  host.resolver = resolver;
  return resolver;
}

function value(resolver: Resolver, stackId: string, logicalId: string, prop: string): unknown {
  const res = resolver.allResources().find((r) => r.stack.id === stackId && r.logicalId === logicalId)!;
  return resolver.prop(res, prop);
}

describe('intrinsic functions', () => {
  test('Ref and the ID attributes of a resource resolve to the same symbol; other attributes to their property or a deploy-time symbol', () => {
    const t = new TemplateBuilder('S');
    t.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/16' });
    t.add('Subnet', 'AWS::EC2::Subnet', { VpcId: { Ref: 'Vpc' }, CidrBlock: '10.0.1.0/24', AvailabilityZone: 'ap-northeast-1a' });
    t.add('X', 'AWS::EC2::Route', {
      A: { Ref: 'Vpc' },
      B: getAtt('Vpc', 'VpcId'),
      C: getAtt('Subnet', 'CidrBlock'),
      D: { 'Fn::GetAtt': 'Subnet.AvailabilityZone' },
      E: getAtt('Vpc', 'DefaultSecurityGroup'),
      F: { Ref: 'Missing' },
    });
    const r = resolverOf({}, t);
    expect(value(r, 'S', 'X', 'A')).toBe(idSymbol('S|Vpc'));
    expect(value(r, 'S', 'X', 'B')).toBe(idSymbol('S|Vpc'));
    expect(value(r, 'S', 'X', 'C')).toBe('10.0.1.0/24');
    expect(value(r, 'S', 'X', 'D')).toBe('ap-northeast-1a');
    expect(value(r, 'S', 'X', 'E')).toBe('⟦S|Vpc#DefaultSecurityGroup⟧');
    expect(value(r, 'S', 'X', 'F')).toEqual(new Unknown('Ref Missing names nothing in stack S'));
  });

  test('Join, Select, Split, Sub, If, FindInMap, Cidr and pseudo parameters are evaluated', () => {
    const t = new TemplateBuilder('S', '333333333333');
    t.conditions.IsTokyo = { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'ap-northeast-1'] };
    t.mappings.Plan = { Prod: { Cidr: '10.0.0.0/18' } };
    t.parameters.Env = { Type: 'String', Default: 'Prod' };
    t.parameters.Ami = { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/aws/ami' };
    t.add('X', 'AWS::EC2::Route', {
      Join: { 'Fn::Join': ['-', ['a', { Ref: 'AWS::AccountId' }, { Ref: 'AWS::Region' }]] },
      Select: { 'Fn::Select': [1, { 'Fn::Split': [',', '10.0.0.0/24,10.0.1.0/24'] }] },
      Sub: { 'Fn::Sub': ['${Env}-${AWS::StackName}-${X}-${!Literal}', { X: 'x' }] },
      If: { 'Fn::If': ['IsTokyo', 'tokyo', 'other'] },
      Map: { 'Fn::FindInMap': ['Plan', { Ref: 'Env' }, 'Cidr'] },
      Cidr: { 'Fn::Select': [2, { 'Fn::Cidr': ['10.0.0.0/16', 4, 8] }] },
      NoValue: [{ Ref: 'AWS::NoValue' }, 'kept'],
      Ssm: { Ref: 'Ami' },
      Azs: { 'Fn::GetAZs': '' },
    });
    const r = resolverOf({}, t);
    const v = (p: string) => value(r, 'S', 'X', p);
    expect(v('Join')).toBe('a-333333333333-ap-northeast-1');
    expect(v('Select')).toBe('10.0.1.0/24');
    expect(v('Sub')).toBe('Prod-S-x-${Literal}');
    expect(v('If')).toBe('tokyo');
    expect(v('Map')).toBe('10.0.0.0/18');
    expect(v('Cidr')).toBe('10.0.2.0/24');
    expect(v('NoValue')).toEqual(['kept']);
    expect(v('Ssm')).toEqual(new Unknown('parameter Ami of stack S is read from SSM Parameter Store at deployment'));
    expect((v('Azs') as Unknown).reason).toMatch(/^Fn::GetAZs: the availability zones are only known at deployment/);
  });

  test('Fn::ImportValue resolves exports of the same account and region only', () => {
    const producer = new TemplateBuilder('Producer', '222222222222');
    producer.add('Tgw', 'AWS::EC2::TransitGateway', {});
    producer.outputs.TgwId = { Value: { Ref: 'Tgw' }, Export: { Name: 'Producer:TgwId' } };
    const sameAccount = new TemplateBuilder('Consumer', '222222222222');
    sameAccount.add('X', 'AWS::EC2::Route', { TransitGatewayId: { 'Fn::ImportValue': 'Producer:TgwId' } });
    const otherAccount = new TemplateBuilder('Spoke', '333333333333');
    otherAccount.add('X', 'AWS::EC2::Route', { TransitGatewayId: { 'Fn::ImportValue': 'Producer:TgwId' } });
    const r = resolverOf({}, producer, sameAccount, otherAccount);
    expect(value(r, 'Consumer', 'X', 'TransitGatewayId')).toBe(idSymbol('Producer|Tgw'));
    expect(value(r, 'Spoke', 'X', 'TransitGatewayId')).toEqual(new Unknown('Fn::ImportValue Producer:TgwId: no stack of account 333333333333 in ap-northeast-1 exports it in this assembly'));
  });

  test('Fn::GetStackOutput reads an output of another stack by logical ID, in the account of its role and the given region', () => {
    const network = new TemplateBuilder('Net', '222222222222');
    network.add('Tgw', 'AWS::EC2::TransitGateway', {});
    network.outputs.TgwOut = { Value: { Ref: 'Tgw' } };
    const consumer = new TemplateBuilder('Consumer', '222222222222');
    const spoke = new TemplateBuilder('Spoke', '333333333333');
    const get = (extra: Record<string, unknown> = {}) => ({ 'Fn::GetStackOutput': { StackName: 'Net', OutputName: 'TgwOut', ...extra } });
    consumer.add('X', 'AWS::EC2::Route', { A: get({ Region: 'ap-northeast-1' }), B: get({ OutputName: 'Nope' }), C: get({ Region: 'us-east-1' }) });
    spoke.add('X', 'AWS::EC2::Route', { A: get({ RoleArn: 'arn:aws:iam::222222222222:role/reader' }), B: get() });
    const r = resolverOf({}, network, consumer, spoke);
    expect(value(r, 'Consumer', 'X', 'A')).toBe(idSymbol('Net|Tgw'));
    expect(value(r, 'Consumer', 'X', 'B')).toEqual(new Unknown('Fn::GetStackOutput Net.Nope: the stack has no such output'));
    expect(value(r, 'Consumer', 'X', 'C')).toEqual(new Unknown('Fn::GetStackOutput Net.TgwOut: no stack of that name in account 222222222222 and us-east-1 is in this assembly'));
    expect(value(r, 'Spoke', 'X', 'A')).toBe(idSymbol('Net|Tgw'));
    expect(value(r, 'Spoke', 'X', 'B')).toEqual(new Unknown('Fn::GetStackOutput Net.TgwOut: no stack of that name in account 333333333333 and ap-northeast-1 is in this assembly'));
  });

  test('the port of an RDS endpoint comes from its Port, or from the default port of its engine', () => {
    const t = new TemplateBuilder('S');
    t.add('Pg', 'AWS::RDS::DBInstance', { Engine: 'postgres' });
    t.add('My', 'AWS::RDS::DBCluster', { Engine: 'aurora-mysql', Port: 3307 });
    t.add('X', 'AWS::EC2::SecurityGroupIngress', { A: getAtt('Pg', 'Endpoint.Port'), B: getAtt('My', 'Endpoint.Port'), C: getAtt('Pg', 'Endpoint.Address') });
    const r = resolverOf({}, t);
    expect(value(r, 'S', 'X', 'A')).toBe(5432);
    expect(value(r, 'S', 'X', 'B')).toBe(3307);
    expect(value(r, 'S', 'X', 'C')).toBe('⟦S|Pg#Endpoint.Address⟧');
  });

  test('literal IDs mapped with externalIds resolve to the resource they stand for', () => {
    const t = new TemplateBuilder('S');
    t.add('Tgw', 'AWS::EC2::TransitGateway', {});
    t.add('X', 'AWS::EC2::Route', { TransitGatewayId: 'tgw-0123456789abcdef0', Other: 'tgw-1111' });
    const r = resolverOf({ 'tgw-0123456789abcdef0': idSymbol('S|Tgw') }, t);
    expect(value(r, 'S', 'X', 'TransitGatewayId')).toBe(idSymbol('S|Tgw'));
    expect(value(r, 'S', 'X', 'Other')).toBe('tgw-1111');
  });
});

describe('AwsCustomResource lookups', () => {
  function hub(): TemplateBuilder {
    const t = new TemplateBuilder('Network', '222222222222');
    t.add('Tgw', 'AWS::EC2::TransitGateway', {});
    t.add('Cgw', 'AWS::EC2::CustomerGateway', { IpAddress: '198.51.100.1', BgpAsn: 65000, Type: 'ipsec.1' });
    t.add('Vpn', 'AWS::EC2::VPNConnection', { CustomerGatewayId: { Ref: 'Cgw' }, TransitGatewayId: { Ref: 'Tgw' }, Type: 'ipsec.1', StaticRoutesOnly: true });
    t.outputs.Tgw = { Value: { Ref: 'Tgw' }, Export: { Name: 'TgwId' } };
    return t;
  }

  function spoke(id: string, account: string): TemplateBuilder {
    const t = new TemplateBuilder(id, account);
    addLookup(t, 'TgwLookup', 'EC2', 'describeTransitGateways', { Filters: [{ Name: 'owner-id', Values: ['222222222222'] }] });
    t.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/18' });
    t.add('Attachment', 'AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: getAtt('TgwLookup', 'TransitGateways.0.TransitGatewayId'), VpcId: { Ref: 'Vpc' }, SubnetIds: [], Tags: [{ Key: 'Name', Value: id.toLowerCase() }],
    });
    return t;
  }

  test('describeTransitGatewayAttachments by resource-id and transit-gateway-id finds the VPN attachment (correction 2)', () => {
    const t = hub();
    addLookup(t, 'VpnAttachment', 'EC2', 'DescribeTransitGatewayAttachments', {
      Filters: [{ Name: 'resource-id', Values: [{ Ref: 'Vpn' }] }, { Name: 'transit-gateway-id', Values: [{ Ref: 'Tgw' }] }],
    });
    t.add('X', 'AWS::EC2::TransitGatewayRoute', { A: getAtt('VpnAttachment', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'), B: getAtt('VpnAttachment', 'TransitGatewayAttachments.0.ResourceType') });
    const r = resolverOf({}, t);
    expect(value(r, 'Network', 'X', 'A')).toBe('⟦Network|Vpn#TransitGatewayAttachmentId⟧');
    expect(value(r, 'Network', 'X', 'B')).toBe('vpn');
  });

  test('describeTransitGateways by owner-id finds the hub from a spoke account; the spoke attachment is found by resource-owner-id', () => {
    const t = hub();
    addLookup(t, 'ProdAttachment', '@aws-sdk/client-ec2', 'DescribeTransitGatewayAttachmentsCommand', {
      Filters: [{ Name: 'transit-gateway-id', Values: [{ 'Fn::ImportValue': 'TgwId' }] }, { Name: 'resource-owner-id', Values: ['333333333333'] }, { Name: 'resource-type', Values: ['vpc'] }],
    });
    addLookup(t, 'DevByTag', 'EC2', 'describeTransitGatewayVpcAttachments', { Filters: [{ Name: 'tag:Name', Values: ['d*'] }] });
    t.add('X', 'AWS::EC2::TransitGatewayRoute', {
      Prod: getAtt('ProdAttachment', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'),
      Dev: getAtt('DevByTag', 'TransitGatewayVpcAttachments.0.TransitGatewayAttachmentId'),
    });
    const r = resolverOf({}, t, spoke('Prod', '333333333333'), spoke('Dev', '444444444444'));
    expect(value(r, 'Prod', 'Attachment', 'TransitGatewayId')).toBe(idSymbol('Network|Tgw'));
    expect(value(r, 'Network', 'X', 'Prod')).toBe(idSymbol('Prod|Attachment'));
    expect(value(r, 'Network', 'X', 'Dev')).toBe(idSymbol('Dev|Attachment'));
  });

  test('a lookup that matches several resources, none, or filters on something it does not know is unknown, naming why', () => {
    const t = hub();
    addLookup(t, 'Any', 'EC2', 'describeTransitGatewayAttachments', { Filters: [{ Name: 'resource-type', Values: ['vpc'] }] });
    addLookup(t, 'None', 'EC2', 'describeTransitGatewayAttachments', { Filters: [{ Name: 'resource-owner-id', Values: ['999999999999'] }] });
    addLookup(t, 'Odd', 'EC2', 'describeTransitGatewayAttachments', { Filters: [{ Name: 'association.state', Values: ['associated'] }] });
    addLookup(t, 'Other', 'RAM', 'getResourceShares', { resourceOwner: 'SELF' });
    t.add('X', 'AWS::EC2::TransitGatewayRoute', {
      Any: getAtt('Any', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'),
      None: getAtt('None', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'),
      Odd: getAtt('Odd', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId'),
      Other: getAtt('Other', 'resourceShares.0.resourceShareArn'),
      Path: getAtt('None', 'Attachments.0.Id'),
    });
    const r = resolverOf({}, t, spoke('Prod', '333333333333'), spoke('Dev', '444444444444'));
    const reason = (p: string) => (value(r, 'Network', 'X', p) as Unknown).reason;
    expect(reason('Any')).toBe('lookup Network/Any (Custom::AWS) (ec2:describeTransitGatewayAttachments {"Filters":[{"Name":"resource-type","Values":["vpc"]}]}) ' +
      'matches 2 resources of this assembly (Prod/Attachment, Dev/Attachment); AWS returns them in no defined order, so TransitGatewayAttachments.0.TransitGatewayAttachmentId is ambiguous');
    expect(reason('None')).toBe('lookup Network/None (Custom::AWS) (ec2:describeTransitGatewayAttachments {"Filters":[{"Name":"resource-owner-id","Values":["999999999999"]}]}) ' +
      'finds nothing in this assembly; the deployment would fail or read an empty result');
    expect(reason('Odd')).toBe('lookup Network/Odd (Custom::AWS) filters on association.state, which the offline resolver of describeTransitGatewayAttachments does not understand');
    expect(reason('Other')).toBe('lookup Network/Other (Custom::AWS) calls ram:getResourceShares, which the reachability model does not resolve offline; its result is only known at deployment');
    expect(reason('Path')).toBe('lookup Network/None (Custom::AWS) is read at Attachments.0.Id, which is not TransitGatewayAttachments.<index>.<field>');
  });

  test('an attachment is visible only to its owner and to the transit gateway owner', () => {
    const dev = spoke('Dev', '444444444444');
    addLookup(dev, 'Peek', 'EC2', 'describeTransitGatewayAttachments', { Filters: [{ Name: 'resource-owner-id', Values: ['333333333333'] }] });
    dev.add('X', 'AWS::EC2::Route', { A: getAtt('Peek', 'TransitGatewayAttachments.0.TransitGatewayAttachmentId') });
    const r = resolverOf({}, hub(), spoke('Prod', '333333333333'), dev);
    expect((value(r, 'Dev', 'X', 'A') as Unknown).reason).toMatch(/finds nothing in this assembly/);
  });

  test('the transit hub resolver custom resources are read by their Operation, through Ref and the Id attribute', () => {
    const t = hub();
    t.add('VpnLookup', 'Custom::TransitGatewayVpnAttachment', { ServiceToken: 'x', Operation: 'VpnAttachment', Name: 'dc', VpnConnectionId: { Ref: 'Vpn' }, TransitGatewayId: { Ref: 'Tgw' } });
    t.add('ProdLookup', 'Custom::TransitGatewaySpokeAttachment', {
      ServiceToken: 'x', Operation: 'SpokeAttachment', Name: 'prod', TransitGatewayId: { Ref: 'Tgw' }, OwnerAccount: '333333333333', Accept: 'true', WaitSeconds: '600',
    });
    t.add('Odd', 'Custom::TransitGatewaySpokeAttachment', { ServiceToken: 'x', Operation: 'Something' });
    t.add('X', 'AWS::EC2::TransitGatewayRoute', {
      Vpn: getAtt('VpnLookup', 'Id'), Prod: { Ref: 'ProdLookup' }, ProdId: getAtt('ProdLookup', 'Id'), Other: getAtt('ProdLookup', 'State'), Odd: getAtt('Odd', 'Id'),
    });
    const prod = new TemplateBuilder('Prod', '333333333333');
    prod.add('TgwLookup', 'Custom::SharedTransitGatewayLookup', { ServiceToken: 'x', Operation: 'TransitGateway', Name: 'prod', OwnerAccount: '222222222222' });
    prod.add('Vpc', 'AWS::EC2::VPC', { CidrBlock: '10.0.0.0/18' });
    prod.add('Attachment', 'AWS::EC2::TransitGatewayVpcAttachment', { TransitGatewayId: getAtt('TgwLookup', 'Id'), VpcId: { Ref: 'Vpc' }, SubnetIds: [] });
    const r = resolverOf({}, t, prod);
    expect(value(r, 'Network', 'X', 'Vpn')).toBe('⟦Network|Vpn#TransitGatewayAttachmentId⟧');
    expect(value(r, 'Prod', 'Attachment', 'TransitGatewayId')).toBe(idSymbol('Network|Tgw'));
    expect(value(r, 'Network', 'X', 'Prod')).toBe(idSymbol('Prod|Attachment'));
    expect(value(r, 'Network', 'X', 'ProdId')).toBe(idSymbol('Prod|Attachment'));
    expect((value(r, 'Network', 'X', 'Other') as Unknown).reason).toBe('lookup Network/ProdLookup (Custom::TransitGatewaySpokeAttachment) returns its result as Id; State is only known at deployment');
    expect((value(r, 'Network', 'X', 'Odd') as Unknown).reason).toBe('Network/Odd is a custom resource of type Custom::TransitGatewaySpokeAttachment; its attribute Id is only known at deployment');
  });

  test('describePrefixLists of an AWS-managed prefix list returns a symbol for the public addresses of the service', () => {
    const t = new TemplateBuilder('S');
    addLookup(t, 'S3List', 'EC2', 'DescribePrefixLists', { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] });
    addLookup(t, 'Custom', 'EC2', 'DescribePrefixLists', { Filters: [{ Name: 'prefix-list-name', Values: ['my-list'] }] });
    t.add('X', 'AWS::EC2::Route', { A: getAtt('S3List', 'PrefixLists.0.PrefixListId'), B: getAtt('Custom', 'PrefixLists.0.PrefixListId') });
    const r = resolverOf({}, t);
    expect(value(r, 'S', 'X', 'A')).toBe('⟦aws-prefix-list|com.amazonaws.ap-northeast-1.s3⟧');
    expect((value(r, 'S', 'X', 'B') as Unknown).reason).toMatch(/finds nothing in this assembly/);
  });

  test('service and action names are normalised across SDK v2 and v3 spellings', () => {
    expect(normaliseService('@aws-sdk/client-ec2')).toBe('ec2');
    expect(normaliseService('EC2')).toBe('ec2');
    expect(normaliseAction('DescribeTransitGatewaysCommand')).toBe('describeTransitGateways');
    expect(normaliseAction('describeTransitGateways')).toBe('describeTransitGateways');
  });
});
