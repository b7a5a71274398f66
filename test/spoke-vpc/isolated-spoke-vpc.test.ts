import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IsolatedSpokeVpc, IsolatedSpokeVpcProps } from '../../src/spoke-vpc';

const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];

/** The Prod VPC of the reference address plan. */
const PROD: IsolatedSpokeVpcProps = {
  vpcName: 'prod',
  vpcCidr: '10.0.0.0/18',
  availabilityZones: AZS,
  transitGatewayAttachmentSubnetCidrs: ['10.0.0.0/28', '10.0.0.16/28'],
  loadBalancerSubnetCidrs: ['10.0.1.0/24', '10.0.2.0/24'],
  applicationSubnetCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
  dataSubnetCidrs: ['10.0.30.0/24', '10.0.31.0/24'],
  extraSubnetGroups: [{ name: 'transfer', cidrs: ['10.0.20.0/27', '10.0.20.32/27'] }],
};

function prodStack(): Stack {
  return new Stack(new App(), 'Prod', { env: { account: '333333333333', region: 'ap-northeast-1' } });
}

describe('IsolatedSpokeVpc', () => {
  test('builds an isolated VPC with every subnet at its planned CIDR and no internet path', () => {
    // GIVEN
    const stack = prodStack();
    // WHEN
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', PROD);
    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPC', {
      CidrBlock: '10.0.0.0/18',
      EnableDnsHostnames: true,
      EnableDnsSupport: true,
      Tags: Match.arrayWith([{ Key: 'Name', Value: 'prod' }]),
    });
    const planned: Array<[string, string]> = [
      ['10.0.0.0/28', 'ap-northeast-1a'], ['10.0.0.16/28', 'ap-northeast-1c'],
      ['10.0.1.0/24', 'ap-northeast-1a'], ['10.0.2.0/24', 'ap-northeast-1c'],
      ['10.0.10.0/24', 'ap-northeast-1a'], ['10.0.11.0/24', 'ap-northeast-1c'],
      ['10.0.30.0/24', 'ap-northeast-1a'], ['10.0.31.0/24', 'ap-northeast-1c'],
      ['10.0.20.0/27', 'ap-northeast-1a'], ['10.0.20.32/27', 'ap-northeast-1c'],
    ];
    for (const [cidr, az] of planned) {
      template.hasResourceProperties('AWS::EC2::Subnet', { CidrBlock: cidr, AvailabilityZone: az, MapPublicIpOnLaunch: false });
    }
    template.resourceCountIs('AWS::EC2::Subnet', 10);
    template.resourceCountIs('AWS::EC2::InternetGateway', 0);
    template.resourceCountIs('AWS::EC2::NatGateway', 0);
    template.resourceCountIs('AWS::EC2::EgressOnlyInternetGateway', 0);
    // No route leaves the VPC: the only routes are added later by the TGW attachment.
    template.resourceCountIs('AWS::EC2::Route', 0);
    // The default security group loses its rules.
    template.resourceCountIs('Custom::VpcRestrictDefaultSG', 1);

    expect(spoke.vpc.selectSubnets(spoke.transitGatewayAttachmentSubnets).subnets.map((s) => s.ipv4CidrBlock)).toEqual(['10.0.0.0/28', '10.0.0.16/28']);
    expect(spoke.vpc.selectSubnets(spoke.loadBalancerSubnets).subnets.map((s) => s.ipv4CidrBlock)).toEqual(['10.0.1.0/24', '10.0.2.0/24']);
    expect(spoke.vpc.selectSubnets(spoke.applicationSubnets).subnets.map((s) => s.ipv4CidrBlock)).toEqual(['10.0.10.0/24', '10.0.11.0/24']);
    expect(spoke.vpc.selectSubnets(spoke.dataSubnets).subnets.map((s) => s.ipv4CidrBlock)).toEqual(['10.0.30.0/24', '10.0.31.0/24']);
    expect(spoke.vpc.selectSubnets(spoke.subnetGroup('transfer')).subnets.map((s) => s.ipv4CidrBlock)).toEqual(['10.0.20.0/27', '10.0.20.32/27']);
    expect(spoke.endpointSubnets).toEqual({ subnetGroupName: 'app' });
    expect(() => spoke.subnetGroup('nope')).toThrow(/nope/);
  });

  test('creates the Fargate interface endpoints with private DNS in the app subnets, reachable on 443 from the VPC only', () => {
    const stack = prodStack();
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', PROD);
    const template = Template.fromStack(stack);

    template.resourceCountIs('AWS::EC2::VPCEndpoint', 5);
    for (const service of ['ecr.api', 'ecr.dkr', 'logs', 'secretsmanager']) {
      template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
        ServiceName: `com.amazonaws.ap-northeast-1.${service}`,
        VpcEndpointType: 'Interface',
        PrivateDnsEnabled: true,
        SecurityGroupIds: [{ 'Fn::GetAtt': [stack.getLogicalId(spoke.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] }],
        SubnetIds: spoke.vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds.map((id) => stack.resolve(id)),
      });
    }
    expect(spoke.interfaceEndpoints).toHaveLength(4);

    // The S3 gateway endpoint is on the route table of every subnet (10 subnets, 10 route tables).
    const gateway = Object.values(template.findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }));
    expect(gateway).toHaveLength(1);
    expect(gateway[0].Properties.ServiceName).toEqual({ 'Fn::Join': ['', ['com.amazonaws.', { Ref: 'AWS::Region' }, '.s3']] });
    expect(gateway[0].Properties.RouteTableIds).toHaveLength(10);

    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Interface VPC endpoints: HTTPS from the allowed CIDRs and granted security groups only',
      SecurityGroupIngress: [{ CidrIp: '10.0.0.0/18', IpProtocol: 'tcp', FromPort: 443, ToPort: 443, Description: 'HTTPS to AWS APIs from 10.0.0.0/18' }],
      SecurityGroupEgress: [Match.objectLike({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })],
    });
  });

  test('adds declared endpoint services, dedicated endpoint subnets and given endpoint sources', () => {
    const stack = prodStack();
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', {
      ...PROD,
      endpointSubnetCidrs: ['10.0.40.0/28', '10.0.40.16/28'],
      interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, ec2.InterfaceVpcEndpointAwsService.KMS],
      endpointAllowedCidrs: ['10.0.10.0/24', '10.0.11.0/24'],
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::EC2::VPCEndpoint', 7);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      ServiceName: 'com.amazonaws.ap-northeast-1.ssmmessages',
      SubnetIds: spoke.vpc.selectSubnets({ subnetGroupName: 'endpoint' }).subnetIds.map((id) => stack.resolve(id)),
    });
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', { ServiceName: 'com.amazonaws.ap-northeast-1.kms', PrivateDnsEnabled: true });
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [
        Match.objectLike({ CidrIp: '10.0.10.0/24', FromPort: 443, ToPort: 443 }),
        Match.objectLike({ CidrIp: '10.0.11.0/24', FromPort: 443, ToPort: 443 }),
      ],
    });
    expect(spoke.endpointSubnets).toEqual({ subnetGroupName: 'endpoint' });
  });

  test('the S3 gateway endpoint allows only this account\'s buckets and the ECR layer bucket, not the default full access', () => {
    const stack = prodStack();
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', PROD);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::VPCEndpoint', {
      VpcEndpointType: 'Gateway',
      PolicyDocument: {
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'OwnAccountBuckets',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:*',
            Resource: '*',
            Condition: { StringEquals: { 'aws:ResourceAccount': '333333333333' } },
          },
          {
            Sid: 'EcrImageLayers',
            Effect: 'Allow',
            Principal: { AWS: '*' },
            Action: 's3:GetObject',
            Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-ap-northeast-1-starport-layer-bucket/*']] },
          },
        ],
      },
    });
    expect(spoke.s3GatewayEndpoint).toBeDefined();
  });

  test('GIVEN extra buckets and an organization THEN the S3 endpoint also allows exactly those', () => {
    const stack = prodStack();
    new IsolatedSpokeVpc(stack, 'Spoke', {
      ...PROD,
      s3EndpointAllowedBucketArns: ['arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1'],
      s3EndpointAllowedOrganizationId: 'o-abcdefghij',
    });
    const gateway = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint', { Properties: { VpcEndpointType: 'Gateway' } }))[0];
    const statements = gateway.Properties.PolicyDocument.Statement;
    expect(statements.map((st: any) => st.Sid)).toEqual(['OwnAccountBuckets', 'EcrImageLayers', 'AdditionalBuckets', 'OrganizationBuckets']);
    expect(statements[2]).toEqual({
      Sid: 'AdditionalBuckets',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: ['arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1', 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1/*'],
    });
    expect(statements[3]).toEqual({
      Sid: 'OrganizationBuckets',
      Effect: 'Allow',
      Principal: { AWS: '*' },
      Action: 's3:*',
      Resource: '*',
      Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } },
    });
  });

  test('GIVEN no endpoint CIDRs THEN the endpoints admit only security groups granted explicitly', () => {
    const stack = prodStack();
    const spoke = new IsolatedSpokeVpc(stack, 'Spoke', { ...PROD, endpointAllowedCidrs: [] });
    const tasks = new ec2.SecurityGroup(stack, 'Tasks', { vpc: spoke.vpc, allowAllOutbound: false });
    tasks.connections.allowTo(spoke.endpointSecurityGroup, ec2.Port.tcp(443), 'tasks to endpoints');
    const template = Template.fromStack(stack);
    const endpointSg = stack.getLogicalId(spoke.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup);
    expect(template.toJSON().Resources[endpointSg].Properties.SecurityGroupIngress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: { 'Fn::GetAtt': [endpointSg, 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^Tasks'), 'GroupId'] },
      FromPort: 443,
      ToPort: 443,
    });
  });

  test('sends all-traffic flow logs to a KMS-encrypted, retained log group by default', () => {
    const stack = prodStack();
    new IsolatedSpokeVpc(stack, 'Spoke', PROD);
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', { ResourceType: 'VPC', TrafficType: 'ALL', LogDestinationType: 'cloud-watch-logs' });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { RetentionInDays: 365, KmsKeyId: Match.anyValue() },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::KMS::Key', {
      Properties: {
        EnableKeyRotation: true,
        KeyPolicy: { Statement: Match.arrayWith([Match.objectLike({ Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' } })]) },
      },
      // The key outlives the stack like the retained log group it encrypts.
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  test('sends flow logs to the given destination, e.g. the Security account bucket', () => {
    const stack = prodStack();
    const bucket = s3.Bucket.fromBucketName(stack, 'Central', 'central-log-archive-111111111111');
    new IsolatedSpokeVpc(stack, 'Spoke', { ...PROD, flowLogDestination: ec2.FlowLogDestination.toS3(bucket, 'vpc-flow-logs/prod') });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::FlowLog', {
      LogDestinationType: 's3',
      TrafficType: 'ALL',
      LogDestination: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::central-log-archive-111111111111/vpc-flow-logs/prod']] },
    });
    template.resourceCountIs('AWS::Logs::LogGroup', 0);
    template.resourceCountIs('AWS::KMS::Key', 0);
  });

  test('reports every bad input in one error', () => {
    const stack = prodStack();
    expect(() => new IsolatedSpokeVpc(stack, 'Spoke', {
      ...PROD,
      loadBalancerSubnetCidrs: ['10.0.1.0/24', '10.0.64.0/24'],
      dataSubnetCidrs: ['10.0.30.0/24'],
      extraSubnetGroups: [
        { name: 'app', cidrs: ['10.0.20.0/27', '10.0.20.32/27'] },
        { name: '9bad', cidrs: ['10.0.21.0/27', '10.0.21.32/27'] },
      ],
      interfaceEndpointServices: [
        ec2.InterfaceVpcEndpointAwsService.ECR, ec2.InterfaceVpcEndpointAwsService.KMS, ec2.InterfaceVpcEndpointAwsService.KMS,
      ],
      endpointAllowedCidrs: ['0.0.0.0/0'],
      s3EndpointAllowedBucketArns: ['arn:aws:s3:::logs/*'],
      s3EndpointAllowedOrganizationId: 'org-1',
    })).toThrow([
      'Invalid IsolatedSpokeVpc props at Prod/Spoke (9 problems):',
      '  - `extraSubnetGroups[0].name` app is a built-in subnet group of IsolatedSpokeVpc (tgw-attach, alb, app, data, endpoint); choose another name.',
      '  - `extraSubnetGroups[1].name` 9bad is not a subnet group name; use a letter followed by letters, digits and hyphens, at most 32 characters, e.g. transfer.',
      '  - `loadBalancerSubnetCidrs[1]` 10.0.64.0/24 lies outside the VPC CIDR 10.0.0.0/18 (`vpcCidr`); choose a subnet inside it.',
      '  - `dataSubnetCidrs` ["10.0.30.0/24"] has 1 subnet CIDRs for 2 availability zones; give exactly one CIDR per AZ, in the order of `availabilityZones`.',
      '  - `endpointAllowedCidrs[0]` 0.0.0.0/0 allows every address; give the networks that call AWS APIs through these endpoints, e.g. the VPC CIDR.',
      '  - `interfaceEndpointServices[0]` ecr.api is created by default; remove it from `interfaceEndpointServices`.',
      '  - `interfaceEndpointServices[2]` kms is listed twice; a VPC cannot hold two endpoints with private DNS for one service.',
      '  - `s3EndpointAllowedBucketArns[0]` arn:aws:s3:::logs/* is not an S3 bucket ARN; write it as arn:aws:s3:::<bucket name>, without a key or wildcard.',
      '  - `s3EndpointAllowedOrganizationId` org-1 is not an AWS Organizations organization ID; write it as o- followed by 10 to 32 lowercase letters or digits.',
    ].join('\n'));
  });

  test('reports overlapping subnets and a single AZ', () => {
    const stack = prodStack();
    expect(() => new IsolatedSpokeVpc(stack, 'Spoke', {
      ...PROD,
      availabilityZones: ['ap-northeast-1a'],
      transitGatewayAttachmentSubnetCidrs: ['10.0.0.0/28'],
      loadBalancerSubnetCidrs: ['10.0.0.0/24'],
      applicationSubnetCidrs: ['10.0.10.0/24'],
      dataSubnetCidrs: ['10.0.30.0/24'],
      extraSubnetGroups: [],
    })).toThrow([
      'Invalid IsolatedSpokeVpc props at Prod/Spoke (2 problems):',
      '  - `availabilityZones` ["ap-northeast-1a"] has fewer than two availability zones; give two or more so that every subnet group spans two AZs.',
      '  - `loadBalancerSubnetCidrs[0]` 10.0.0.0/24 overlaps 10.0.0.0/28 (`transitGatewayAttachmentSubnetCidrs[0]`); subnets of one VPC must not overlap.',
    ].join('\n'));
  });

  test.each([
    ['default configuration', {}],
    ['reference configuration (dedicated endpoints, ECS Exec endpoints, S3 flow logs)', {
      endpointSubnetCidrs: ['10.0.40.0/28', '10.0.40.16/28'],
      interfaceEndpointServices: [ec2.InterfaceVpcEndpointAwsService.SSM_MESSAGES, ec2.InterfaceVpcEndpointAwsService.KMS],
      s3FlowLogs: true,
    }],
  ])('passes the AwsSolutions and NIST 800-53 R5 cdk-nag packs: %s', (_name, { s3FlowLogs, ...extra }: Partial<IsolatedSpokeVpcProps> & { s3FlowLogs?: boolean }) => {
    const stack = prodStack();
    const flowLogDestination = s3FlowLogs
      ? ec2.FlowLogDestination.toS3(s3.Bucket.fromBucketName(stack, 'Central', 'central-log-archive-111111111111'), 'vpc-flow-logs/prod')
      : undefined;
    new IsolatedSpokeVpc(stack, 'Spoke', { ...PROD, ...extra, flowLogDestination });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });
});

test('the default flow log role may only write to its log group, through a managed policy', () => {
  const stack = prodStack();
  const spoke = new IsolatedSpokeVpc(stack, 'Spoke', PROD);
  const template = Template.fromStack(stack);
  template.resourceCountIs('AWS::IAM::Policy', 0);
  template.hasResourceProperties('AWS::IAM::Role', {
    AssumeRolePolicyDocument: {
      Statement: [{
        Effect: 'Allow',
        Action: 'sts:AssumeRole',
        Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
        Condition: {
          StringEquals: { 'aws:SourceAccount': '333333333333' },
          ArnLike: { 'aws:SourceArn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':ec2:ap-northeast-1:333333333333:vpc-flow-log/*']] } },
        },
      }],
    },
  });
  // Delivery starts when the flow log is created: the policy must be attached by then.
  const flowLog = template.toJSON().Resources[stack.getLogicalId(spoke.flowLog.node.defaultChild as ec2.CfnFlowLog)];
  expect(flowLog.DependsOn).toEqual([expect.stringMatching(/^SpokeFlowLogPolicy/)]);
  template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
    PolicyDocument: {
      Statement: [{
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
        Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^SpokeFlowLogGroup'), 'Arn'] },
      }],
    },
  });
});
