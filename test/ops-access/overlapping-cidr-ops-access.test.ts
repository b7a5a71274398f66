import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { AZS, networkStack, referenceOps, referenceProps, TGW } from './fixtures';
import { LogArchiveDestinations } from '../../src/log-archive';
import { OverlappingCidrOpsAccess, SessionPreferencesMode } from '../../src/ops-access';

/** Logical IDs of the resources of one type whose ID starts with `prefix`. */
function idsOf(template: Template, type: string, prefix: string): string[] {
  return Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix)).sort();
}

/** Route destinations per route table logical ID. */
function routesByTable(template: Template): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
    const table = route.Properties.RouteTableId.Ref as string;
    (result[table] ??= []).push(route.Properties.DestinationCidrBlock);
  }
  for (const list of Object.values(result)) {
    list.sort();
  }
  return result;
}

function nagViolations(stack: Stack) {
  return [new AwsSolutionsChecks(), new NIST80053R5Checks()].flatMap((pack) => pack.validateScope(stack).violations
    .map((v) => `${v.ruleName} ${v.violatingResources.map((r) => JSON.stringify(r)).join(' ')}`));
}

describe('OverlappingCidrOpsAccess: the Network VPC', () => {
  test('has no internet gateway and no NAT, and isolated subnets at the planned CIDRs in the planned AZs', () => {
    // GIVEN / WHEN
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);

    // THEN
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::VPCGatewayAttachment', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EIP', 0);
    template.hasResourceProperties('AWS::EC2::VPC', { CidrBlock: '192.168.0.0/16', EnableDnsHostnames: true, EnableDnsSupport: true });
    template.resourceCountIs('AWS::EC2::Subnet', 10);
    const planned: Array<[string, string]> = [
      ['192.168.10.0/24', AZS[0]], ['192.168.11.0/24', AZS[1]],
      ['192.168.20.0/28', AZS[0]], ['192.168.21.0/28', AZS[1]],
      ['192.168.50.0/28', AZS[0]], ['192.168.50.16/28', AZS[1]],
      ['192.168.60.0/28', AZS[0]], ['192.168.60.16/28', AZS[1]],
      ['192.168.61.0/28', AZS[0]], ['192.168.61.16/28', AZS[1]],
    ];
    for (const [cidr, az] of planned) {
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: cidr, AvailabilityZone: az, MapPublicIpOnLaunch: false });
    }
    // No route of any table points anywhere but at the transit gateway.
    for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
      expect(Object.keys(route.Properties).sort()).toEqual(['DestinationCidrBlock', 'RouteTableId', 'TransitGatewayId']);
    }
    // The default security group loses its rules.
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);
    expect(ops.bastionSubnetCidrs).toEqual(['192.168.10.0/24', '192.168.11.0/24']);
    expect(ops.resolverInboundSubnets.subnets!.map((s) => s.ipv4CidrBlock)).toEqual(['192.168.60.0/28', '192.168.60.16/28']);
    expect(ops.resolverOutboundSubnets.subnets!.map((s) => s.ipv4CidrBlock)).toEqual(['192.168.61.0/28', '192.168.61.16/28']);
  });

  test('attaches to the transit gateway on the tgw-attach subnets and routes each subnet group as planned', () => {
    // GIVEN / WHEN
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);

    // THEN: the attachment sits on the two attachment subnets.
    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 1);
    template.hasResourceProperties('AWS::EC2::TransitGatewayVpcAttachment', {
      TransitGatewayId: TGW,
      SubnetIds: [{ Ref: Match.stringLikeRegexp('^OpsVpctgwattachSubnet1') }, { Ref: Match.stringLikeRegexp('^OpsVpctgwattachSubnet2') }],
      Options: { DnsSupport: 'enable', Ipv6Support: 'disable', ApplianceModeSupport: 'disable' },
    });
    expect(stack.resolve(ops.transitGatewayAttachmentId)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(ops.transitGatewayAttachment!), 'Id'] });
    // The hub's segments take the attachment as it is, with the VPC CIDR behind it.
    expect(stack.resolve(ops.hubAttachment!.attachmentId)).toEqual(stack.resolve(ops.transitGatewayAttachmentId));
    expect([ops.hubAttachment!.attachmentName, ops.hubAttachment!.cidrs, ops.hubAttachment!.propagatesRoutes]).toEqual(['network-vpc', ['192.168.0.0/16'], true]);

    // Route tables per group: bastion -> spoke summary; endpoint and resolver -> DC return addresses; attach -> local only.
    const routes = routesByTable(template);
    const tableOf = (group: string, n: number) => idsOf(template, 'AWS::EC2::RouteTable', `OpsVpc${group}Subnet${n}RouteTable`)[0];
    const dcReturn = ['10.0.210.0/24', '10.0.250.10/32', '10.0.250.11/32'];
    for (const n of [1, 2]) {
      expect(routes[tableOf('bastion', n)]).toEqual(['10.0.0.0/16']);
      expect(routes[tableOf('endpoint', n)]).toEqual(dcReturn);
      expect(routes[tableOf('resolverin', n)]).toEqual(dcReturn);
      expect(routes[tableOf('resolverout', n)]).toEqual(dcReturn);
      expect(routes[tableOf('tgwattach', n)]).toBeUndefined();
    }
    template.resourceCountIs('AWS::EC2::Route', 20);
    for (const route of Object.values(template.findResources('AWS::EC2::Route'))) {
      expect(route.Properties.TransitGatewayId).toBe(TGW);
      expect(route.DependsOn).toEqual([stack.getLogicalId(ops.transitGatewayAttachment!)]);
    }
  });

  test('without a transit gateway there is no attachment and no route beyond local', () => {
    const stack = networkStack();
    const ops = new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
      availabilityZones: AZS,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::TransitGatewayVpcAttachment', 0);
    template.resourceCountIs('AWS::EC2::Route', 0);
    expect(ops.transitGatewayAttachmentId).toBeUndefined();
    expect(ops.hubAttachment).toBeUndefined();
  });

  test('logs all traffic to a KMS-encrypted, retained log group through a role limited to flow logs of this account', () => {
    const { stack } = referenceOps();
    const template = Template.fromStack(stack);
    const flowLogGroup = idsOf(template, 'AWS::Logs::LogGroup', 'OpsFlowLogGroup')[0];
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      ResourceType: 'VPC',
      TrafficType: 'ALL',
      LogDestinationType: 'cloud-watch-logs',
      LogGroupName: { Ref: flowLogGroup },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^OpsSessionKey'), 'Arn'] } },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [{
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
          Condition: {
            StringEquals: { 'aws:SourceAccount': '222222222222' },
            ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:ap-northeast-1:222222222222:vpc-flow-log/*']] } },
          },
        }],
      },
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: { Statement: [{ Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [flowLogGroup, 'Arn'] } }] },
    });
    // The shared flow log helper: the flow log waits for its delivery policy.
    const flowLog = Object.values(template.findResources('AWS::EC2::FlowLog'))[0];
    expect(flowLog.DependsOn).toEqual([expect.stringMatching(/^OpsFlowLogPolicy/)]);
  });

  test('sends flow logs to the given destination instead', () => {
    const stack = networkStack();
    const archive = s3.Bucket.fromBucketName(stack, 'Archive', 'log-archive-111111111111');
    new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
      availabilityZones: AZS,
      flowLogDestination: ec2.FlowLogDestination.toS3(archive, 'vpc-flow-logs/'),
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestinationType: 's3',
      TrafficType: 'ALL',
      LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::log-archive-111111111111/vpc-flow-logs/']] },
    });
    expect(idsOf(template, 'AWS::Logs::LogGroup', 'OpsFlowLogGroup')).toEqual([]);
  });
});

describe('OverlappingCidrOpsAccess: endpoints', () => {
  test('creates ssm, ssmmessages, ec2messages, logs and kms interface endpoints with private DNS in the endpoint subnets', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    const endpointSg = stack.getLogicalId(ops.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    for (const service of ['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.ap-northeast-1.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SecurityGroupIds: [{ 'Fn::GetAtt': [endpointSg, 'GroupId'] }],
        SubnetIds: [{ Ref: Match.stringLikeRegexp('^OpsVpcendpointSubnet1') }, { Ref: Match.stringLikeRegexp('^OpsVpcendpointSubnet2') }],
      });
    }
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: { 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] },
      VpcEndpointType: 'Gateway',
      RouteTableIds: [{ Ref: Match.stringLikeRegexp('^OpsVpcbastionSubnet1RouteTable') }, { Ref: Match.stringLikeRegexp('^OpsVpcbastionSubnet2RouteTable') }],
    });
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 6);
    template.resourceCountIs('AWS::EC2::InstanceConnectEndpoint', 0);
    expect(ops.interfaceEndpoints).toHaveLength(5);
  });

  test('the S3 gateway endpoint allows this account\'s buckets, the Amazon Linux 2023 and SSM Agent buckets and the session log archive only', () => {
    const stack = networkStack();
    const destinations = new LogArchiveDestinations({ archiveAccountId: '111111111111', region: 'ap-northeast-1', namePrefix: 'gov-hybrid' });
    new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({ sessionLogArchive: destinations }));
    const gateway = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))[0];
    const arn = (name: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:s3:::${name}/*`]] });
    expect(gateway.Properties.PolicyDocument.Statement).toEqual([
      {
        Sid: 'OwnAccountBuckets',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: '*',
        Condition: { StringEquals: { 'aws:ResourceAccount': '222222222222' } },
      },
      {
        Sid: 'AmazonLinuxRepositoriesAndSsmAgentBuckets',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:GetObject',
        Resource: [
          'al2023-repos-ap-northeast-1-de612dc2', 'aws-ssm-ap-northeast-1', 'amazon-ssm-ap-northeast-1', 'amazon-ssm-packages-ap-northeast-1',
          'ap-northeast-1-birdwatcher-prod', 'aws-ssm-distributor-file-ap-northeast-1', 'aws-ssm-document-attachments-ap-northeast-1',
          'patch-baseline-snapshot-ap-northeast-1', 'patch-baseline-snapshot-ap-northeast-1-*', 'aws-patch-manager-ap-northeast-1-*',
        ].map(arn),
      },
      {
        // Session logs go to the Security account's archive through this endpoint.
        Sid: 'AdditionalBuckets',
        Effect: 'Allow',
        Principal: { AWS: '*' },
        Action: 's3:*',
        Resource: ['arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1', 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1/*'],
      },
    ]);
  });

  test('GIVEN no session log bucket THEN the S3 endpoint allows no other account\'s bucket unless listed', () => {
    const { stack } = referenceOps({ s3EndpointAllowedBucketArns: ['arn:aws:s3:::patch-mirror-111111111111'], s3EndpointAllowedOrganizationId: 'o-abcdefghij' });
    const gateway = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))[0];
    const statements = gateway.Properties.PolicyDocument.Statement;
    expect(statements.map((st: any) => st.Sid)).toEqual(['OwnAccountBuckets', 'AmazonLinuxRepositoriesAndSsmAgentBuckets', 'AdditionalBuckets', 'OrganizationBuckets']);
    expect(statements[2].Resource).toEqual(['arn:aws:s3:::patch-mirror-111111111111', 'arn:aws:s3:::patch-mirror-111111111111/*']);
    expect(statements[3].Condition).toEqual({ StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } });
  });

  test('the endpoint security group allows 443 from the bastion and the operator terminals only, and nothing out', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    const endpointSg = stack.getLogicalId(ops.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    const bastionSg = stack.getLogicalId(ops.bastionSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: Match.stringLikeRegexp('^Interface VPC endpoints'),
      SecurityGroupIngress: [{ CidrIp: '10.0.210.0/24', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS from operator terminals 10.0.210.0/24' }],
      SecurityGroupEgress: [{ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic', IpProtocol: 'icmp', FromPort: 252, ToPort: 86 }],
    });
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((r) => r.Properties.GroupId['Fn::GetAtt'][0] === endpointSg);
    expect(ingress.map((r) => r.Properties)).toEqual([{
      Description: 'HTTPS to the interface VPC endpoints',
      GroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [bastionSg, 'GroupId'] },
      IpProtocol: 'tcp',
      FromPort: 443,
      ToPort: 443,
    }]);
  });

  test('adds the sts endpoint and the EC2 Instance Connect Endpoint when asked, and lists sts for DNS forwarding', () => {
    const { stack, ops } = referenceOps({ stsEndpoint: true, instanceConnectEndpoint: true });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.ap-northeast-1.sts', PrivateDnsEnabled: true });
    const eicSg = idsOf(template, 'AWS::EC2::SecurityGroup', 'OpsInstanceConnectSecurityGroup')[0];
    template.hasResourceProperties('AWS::EC2::InstanceConnectEndpoint', {
      SubnetId: { Ref: Match.stringLikeRegexp('^OpsVpcendpointSubnet1') },
      SecurityGroupIds: [{ 'Fn::GetAtt': [eicSg, 'GroupId'] }],
      PreserveClientIp: false,
    });
    // The only inbound rule of the bastion: SSH from the endpoint's own security group.
    const bastionSg = stack.getLogicalId(ops.bastionSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((r) => r.Properties.GroupId['Fn::GetAtt'][0] === bastionSg).map((r) => r.Properties);
    expect(ingress).toEqual([expect.objectContaining({ SourceSecurityGroupId: { 'Fn::GetAtt': [eicSg, 'GroupId'] }, FromPort: 22, ToPort: 22, IpProtocol: 'tcp' })]);
    expect(stack.resolve(ops.dnsForwardingNames)).toEqual(['ssm', 'ssmmessages', 'ec2messages', 'logs', 'kms', 'sts']
      .map((name) => ({ 'Fn::Join': ['', [`${name}.ap-northeast-1.`, { Ref: 'AWS::URLSuffix' }]] })));
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'OpenTunnelToTheBastionSshPort',
          Action: 'ec2-instance-connect:OpenTunnel',
          Condition: { NumericEquals: { 'ec2-instance-connect:remotePort': '22' }, IpAddress: Match.anyValue() },
        })]),
      },
    });
  });
});

describe('OverlappingCidrOpsAccess: the bastion', () => {
  test('runs Amazon Linux 2023 on t3.small in the first bastion subnet, IMDSv2 only, encrypted gp3 root, monitored', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::Instance', 1);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't3.small',
      AvailabilityZone: 'ap-northeast-1a',
      SubnetId: { Ref: Match.stringLikeRegexp('^OpsVpcbastionSubnet1Subnet') },
      MetadataOptions: { HttpTokens: 'required', HttpEndpoint: 'enabled', HttpPutResponseHopLimit: 1, InstanceMetadataTags: 'disabled' },
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: { Encrypted: true, VolumeType: 'gp3', VolumeSize: 8, DeleteOnTermination: true } }],
      Monitoring: true,
      DisableApiTermination: false,
      NetworkInterfaces: Match.absent(),
      SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(ops.bastionSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
    });
    const parameters = template.findParameters('*', { Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64' });
    expect(Object.keys(parameters)).toHaveLength(1);
    template.resourceCountIs('AWS::EC2::LaunchTemplate', 0);
  });

  test('the bastion security group has no inbound rule and egress only to the endpoints, S3 and the forwarding targets', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    const bastionSg = stack.getLogicalId(ops.bastionSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    const endpointSg = stack.getLogicalId(ops.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);

    const group = template.findResources('AWS::EC2::SecurityGroup')[bastionSg];
    expect(group.Properties.SecurityGroupIngress).toBeUndefined();
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupIngress'))
      .filter((r) => r.Properties.GroupId['Fn::GetAtt'][0] === bastionSg)).toEqual([]);
    expect(group.Properties.SecurityGroupEgress).toEqual([
      { CidrIp: '10.0.0.0/18', Description: 'Forwarding target prod-db', FromPort: 5432, IpProtocol: 'tcp', ToPort: 5432 },
      { CidrIp: '10.0.0.0/18', Description: 'Forwarding target prod-app', FromPort: 8080, IpProtocol: 'tcp', ToPort: 8080 },
      { CidrIp: '10.0.64.0/18', Description: 'Forwarding target dev-db', FromPort: 5432, IpProtocol: 'tcp', ToPort: 5432 },
      { CidrIp: '10.0.64.0/18', Description: 'Forwarding target dev-app', FromPort: 8080, IpProtocol: 'tcp', ToPort: 8080 },
    ]);
    const egress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress'))
      .filter((r) => r.Properties.GroupId['Fn::GetAtt'][0] === bastionSg).map((r) => r.Properties);
    const lookup = idsOf(template, 'Custom::S3PrefixListLookup', 'GovHybridS3PrefixListLookup')[0];
    expect(egress).toEqual(expect.arrayContaining([
      expect.objectContaining({ DestinationSecurityGroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
      expect.objectContaining({ DestinationPrefixListId: { 'Fn::GetAtt': [lookup, 'PrefixLists.0.PrefixListId'] }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' }),
    ]));
    expect(egress).toHaveLength(2);
    // The S3 prefix list is read at deployment with the installed SDK, never with a hand-copied ID.
    template.hasResourceProperties('Custom::S3PrefixListLookup', {
      Create: Match.serializedJson(Match.objectLike({
        service: 'EC2',
        action: 'DescribePrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] },
      })),
      InstallLatestAwsSdk: false,
    });
  });

  test('the role has AmazonSSMManagedInstanceCore and exactly its log destinations and the session key', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    const role = stack.getLogicalId(ops.bastionRole.node.defaultChild as any);
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: { Statement: [{ Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' } }] },
      ManagedPolicyArns: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::aws:policy/AmazonSSMManagedInstanceCore']] }],
    });
    const key = idsOf(template, 'AWS::KMS::Key', 'OpsSessionKey')[0];
    const logGroup = idsOf(template, 'AWS::Logs::LogGroup', 'OpsSessionLogGroup')[0];
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      Roles: [{ Ref: role }],
      PolicyDocument: {
        Statement: [
          { Sid: 'DecryptSessionData', Effect: 'Allow', Action: 'kms:Decrypt', Resource: { 'Fn::GetAtt': [key, 'Arn'] } },
          { Sid: 'WriteSessionLogs', Effect: 'Allow', Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'], Resource: { 'Fn::GetAtt': [logGroup, 'Arn'] } },
          {
            Sid: 'CheckSessionLogGroupEncryption',
            Effect: 'Allow',
            Action: 'logs:DescribeLogGroups',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:*']] },
          },
        ],
      },
    });
    // No inline policy on the role.
    expect(Object.values(template.findResources('AWS::IAM::Policy')).filter((p) => JSON.stringify(p.Properties.Roles).includes(role))).toEqual([]);
  });

  test('may write session logs to an archive bucket under its prefix, with the bucket key', () => {
    const stack = networkStack();
    const archiveKey = kms.Key.fromKeyArn(stack, 'ArchiveKey', 'arn:aws:kms:ap-northeast-1:111111111111:key/11111111-2222-3333-4444-555555555555');
    const bucket = s3.Bucket.fromBucketAttributes(stack, 'Archive', { bucketName: 'log-archive-111111111111', encryptionKey: archiveKey });
    new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.STACK_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
      availabilityZones: AZS,
      sessionLogBucket: bucket,
      bastionRoleName: 'gov-ops-bastion',
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::IAM::Role', { RoleName: 'gov-ops-bastion' });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          { Sid: 'WriteSessionLogsToS3', Effect: 'Allow', Action: ['s3:PutObject', 's3:PutObjectAcl'], Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::log-archive-111111111111/session-manager/222222222222/*']] } },
          { Sid: 'CheckSessionLogBucketEncryption', Effect: 'Allow', Action: 's3:GetEncryptionConfiguration', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::log-archive-111111111111']] } },
          { Sid: 'EncryptSessionLogsInS3', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: 'arn:aws:kms:ap-northeast-1:111111111111:key/11111111-2222-3333-4444-555555555555' },
        ]),
      },
    });
    template.hasResourceProperties('AWS::SSM::Document', {
      Content: { inputs: Match.objectLike({ s3BucketName: 'log-archive-111111111111', s3KeyPrefix: 'session-manager/222222222222', s3EncryptionEnabled: true }) },
    });
  });

  test('takes the instance type, the root volume size and key, and termination protection from props', () => {
    const stack = networkStack();
    const volumeKey = new kms.Key(stack, 'VolumeKey', { enableKeyRotation: true });
    new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
      availabilityZones: AZS,
      instanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.SMALL),
      rootVolumeSize: 16,
      rootVolumeEncryptionKey: volumeKey,
      terminationProtection: true,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::Instance', {
      InstanceType: 't4g.small',
      DisableApiTermination: true,
      BlockDeviceMappings: [{ DeviceName: '/dev/xvda', Ebs: Match.objectLike({ Encrypted: true, VolumeSize: 16, KmsKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^VolumeKey'), 'Arn'] } }) }],
    });
    expect(Object.keys(template.findParameters('*', { Default: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64' }))).toHaveLength(1);
  });
});

describe('OverlappingCidrOpsAccess: Session Manager hardening', () => {
  test('creates the account preferences document with the session key, encrypted logs and timeouts (STACK_MANAGED)', () => {
    const { stack, ops } = referenceOps({ idleSessionTimeout: 15, maxSessionDuration: 240 });
    const template = Template.fromStack(stack);
    const key = idsOf(template, 'AWS::KMS::Key', 'OpsSessionKey')[0];
    template.hasResource('AWS::KMS::Key', { Properties: { EnableKeyRotation: true }, DeletionPolicy: 'Retain' });
    template.hasResourceProperties('AWS::SSM::Document', {
      Name: 'SSM-SessionManagerRunShell',
      DocumentType: 'Session',
      DocumentFormat: 'JSON',
      UpdateMethod: 'NewVersion',
      Content: {
        schemaVersion: '1.0',
        sessionType: 'Standard_Stream',
        inputs: {
          s3BucketName: '',
          s3KeyPrefix: '',
          s3EncryptionEnabled: true,
          cloudWatchLogGroupName: { Ref: stack.getLogicalId(ops.sessionLogGroup.node.defaultChild as any) },
          cloudWatchEncryptionEnabled: true,
          cloudWatchStreamingEnabled: true,
          kmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
          runAsEnabled: false,
          runAsDefaultUser: '',
          idleSessionTimeout: '15',
          maxSessionDuration: '240',
          shellProfile: { windows: '', linux: '' },
        },
      },
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [key, 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    // CloudWatch Logs may use the key only for log groups of this account and Region.
    template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'AllowCloudWatchLogsEncryption',
          Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:*']] } } },
        })]),
      },
    });
  });

  test('leaves the preferences document alone and prints its content (ACCOUNT_MANAGED)', () => {
    const stack = networkStack();
    new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
      availabilityZones: AZS,
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::SSM::Document', 0);
    const outputs = template.findOutputs('*', { Description: Match.stringLikeRegexp('^Content for SSM-SessionManagerRunShell') });
    const value = JSON.stringify(Object.values(outputs)[0].Value);
    expect(value).toContain('\\"kmsKeyId\\":\\"');
    expect(value).toContain('\\"idleSessionTimeout\\":\\"20\\"');
    expect(value).toContain('\\"maxSessionDuration\\":\\"480\\"');
  });
});

describe('OverlappingCidrOpsAccess: the operator policy', () => {
  test('starts sessions on this bastion with the port-forwarding document only, and ends or resumes only own sessions', () => {
    const { stack, ops } = referenceOps({ operatorPolicyName: 'gov-ops-operators' });
    const template = Template.fromStack(stack);
    const bastion = stack.getLogicalId(ops.bastion.node.defaultChild as ec2.CfnInstance);
    const key = idsOf(template, 'AWS::KMS::Key', 'OpsSessionKey')[0];
    const arn = (rest: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, rest]] });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      ManagedPolicyName: 'gov-ops-operators',
      PolicyDocument: {
        Statement: [
          {
            Sid: 'StartSessionOnTheBastionWithAllowedDocumentsOnly',
            Effect: 'Allow',
            Action: 'ssm:StartSession',
            Resource: [
              { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:ap-northeast-1:222222222222:instance/', { Ref: bastion }]] },
              arn(':ssm:ap-northeast-1::document/AWS-StartPortForwardingSessionToRemoteHost'),
            ],
            Condition: { BoolIfExists: { 'ssm:SessionDocumentAccessCheck': 'true' } },
          },
          { Sid: 'OpenDataChannelOfStartedSessions', Effect: 'Allow', Action: 'ssmmessages:OpenDataChannel', Resource: arn(':ssm:ap-northeast-1:222222222222:session/*') },
          { Sid: 'EndOrResumeOwnSessions', Effect: 'Allow', Action: ['ssm:TerminateSession', 'ssm:ResumeSession'], Resource: arn(':ssm:ap-northeast-1:222222222222:session/${aws:username}-*') },
          {
            Sid: 'EndOrResumeOwnFederatedSessions',
            Effect: 'Allow',
            Action: ['ssm:TerminateSession', 'ssm:ResumeSession'],
            Resource: arn(':ssm:ap-northeast-1:222222222222:session/*'),
            Condition: { StringLike: { 'ssm:resourceTag/aws:ssmmessages:session-id': '${aws:userid}' } },
          },
          { Sid: 'EncryptSessionData', Effect: 'Allow', Action: 'kms:GenerateDataKey', Resource: { 'Fn::GetAtt': [key, 'Arn'] } },
          {
            Sid: 'DescribeForTheCli',
            Effect: 'Allow',
            Action: ['ssm:DescribeSessions', 'ssm:GetConnectionStatus', 'ssm:DescribeInstanceProperties', 'ec2:DescribeInstances'],
            Resource: '*',
          },
        ],
      },
    });
  });

  test('adds the shell document only when shellAccess is on', () => {
    const { stack } = referenceOps({ shellAccess: true });
    Template.fromStack(stack).hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([Match.objectLike({
          Sid: 'StartSessionOnTheBastionWithAllowedDocumentsOnly',
          Resource: Match.arrayWith([{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ssm:ap-northeast-1:222222222222:document/SSM-SessionManagerRunShell']] }]),
        })]),
      },
    });
  });
});

describe('OverlappingCidrOpsAccess: outputs', () => {
  test('prints the bastion ID, the DNS names to forward, the policy ARN and one start-session command per target', () => {
    const { stack, ops } = referenceOps();
    const template = Template.fromStack(stack);
    const bastion = stack.getLogicalId(ops.bastion.node.defaultChild as ec2.CfnInstance);
    const outputs = template.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>;
    const byDescription = (prefix: string) => Object.values(outputs).filter((o) => o.Description.startsWith(prefix)).map((o) => o.Value);

    expect(byDescription('The ops bastion')).toEqual([{ Ref: bastion }]);
    expect(byDescription('Names the data-centre DNS servers')).toEqual([{
      'Fn::Join': ['', ['ssm.ap-northeast-1.', { Ref: 'AWS::URLSuffix' }, ' ssmmessages.ap-northeast-1.', { Ref: 'AWS::URLSuffix' },
        ' ec2messages.ap-northeast-1.', { Ref: 'AWS::URLSuffix' }, ' logs.ap-northeast-1.', { Ref: 'AWS::URLSuffix' },
        ' kms.ap-northeast-1.', { Ref: 'AWS::URLSuffix' }]],
    }]);
    expect(byDescription('Managed policy to attach')).toHaveLength(1);
    const command = (rest: string) => ({ 'Fn::Join': ['', ['aws ssm start-session --target ', { Ref: bastion }, rest]] });
    expect(byDescription('prod-db: forwards localhost:15432 to db.prod.internal:5432')).toEqual([command(
      ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="db.prod.internal",portNumber="5432",localPortNumber="15432" --region ap-northeast-1')]);
    expect(byDescription('prod-app: forwards localhost:18080 to 10.0.0.0/18:8080')).toEqual([command(
      ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="<address-in-10.0.0.0/18>",portNumber="8080",localPortNumber="18080" --region ap-northeast-1')]);
    expect(byDescription('dev-db: forwards localhost:25432')).toHaveLength(1);
    expect(byDescription('dev-app: forwards localhost:28080')).toHaveLength(1);
  });
});

describe('OverlappingCidrOpsAccess: cdk-nag', () => {
  test('the reference-like configuration passes AwsSolutions and NIST 800-53 R5', () => {
    const { stack } = referenceOps({ stsEndpoint: true, instanceConnectEndpoint: true, shellAccess: true });
    expect(nagViolations(stack)).toEqual([]);
  });

  test('the default configuration in an environment-agnostic stack passes AwsSolutions and NIST 800-53 R5', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const ops = new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
    });
    expect(nagViolations(stack)).toEqual([]);
    // The first two AZs of the stack, resolved at deployment.
    expect(stack.resolve(ops.bastionSubnets.subnets!.map((s) => s.availabilityZone))).toEqual([
      { 'Fn::Select': [0, { 'Fn::GetAZs': '' }] },
      { 'Fn::Select': [1, { 'Fn::GetAZs': '' }] },
    ]);
  });
});
