import { Duration } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { BASTIONS, CERT_ARN, devEnv, Env, minimalProps, prodEnv, referenceProps, USER_SITES, WAF_STREAM_ARN } from './fixtures';
import { SecureEcsWorkload } from '../../src/ecs-workload';

function logicalId(env: Env, construct: { node: { defaultChild?: unknown } } | ec2.SecurityGroup): string {
  const child = (construct as any).node.defaultChild;
  return env.stack.getLogicalId(child);
}

describe('SecureEcsWorkload: internal ALB', () => {
  test('is internal, in the alb subnets, with hardened attributes and access logs to the given bucket', () => {
    // GIVEN
    const env = prodEnv();
    // WHEN
    new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    // THEN
    const template = Template.fromStack(env.stack);
    const albSubnets = env.spoke.vpc.selectSubnets({ subnetGroupName: 'alb' }).subnetIds.map((id) => env.stack.resolve(id));
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      Scheme: 'internal',
      Type: 'application',
      Subnets: albSubnets,
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'deletion_protection.enabled', Value: 'true' },
        { Key: 'routing.http.drop_invalid_header_fields.enabled', Value: 'true' },
        { Key: 'routing.http.desync_mitigation_mode', Value: 'strictest' },
        { Key: 'access_logs.s3.enabled', Value: 'true' },
        { Key: 'access_logs.s3.bucket', Value: 'gov-alb-logs-111111111111' },
        { Key: 'access_logs.s3.prefix', Value: 'alb/prod-app' },
      ]),
    });
    // The central bucket belongs to the Security account: this stack must not try to change its policy.
    template.resourceCountIs('AWS::S3::BucketPolicy', 0);
  });

  test('listens on HTTPS 443 only, with the caller certificate and the AWS-recommended TLS 1.2/1.3 post-quantum policy', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', minimalProps(env));
    const template = Template.fromStack(env.stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      Port: 443,
      Protocol: 'HTTPS',
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09',
      Certificates: [{ CertificateArn: CERT_ARN }],
      DefaultActions: [{ Type: 'forward', TargetGroupArn: { Ref: logicalId(env, workload.targetGroup) } }],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', {
      Port: 8080,
      Protocol: 'HTTP',
      TargetType: 'ip',
      HealthCheckPath: '/',
      Matcher: { HttpCode: '200' },
      TargetGroupAttributes: Match.arrayWith([{ Key: 'deregistration_delay.timeout_seconds', Value: '30' }]),
    });
    expect(workload.httpListener).toBeUndefined();
    expect(workload.httpsListener).toBeDefined();
  });

  test('takes a TLS policy the caller chooses', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), sslPolicy: elbv2.SslPolicy.FIPS_TLS13_12_RES_PQ });
    Template.fromStack(env.stack).hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', {
      SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-Res-FIPS-PQ-2025-09',
    });
  });

  test('its security group admits 443 from the user-site CIDRs only and sends only to the tasks', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), userSiteCidrs: ['172.16.0.0/16', '172.17.0.0/16'] });
    const template = Template.fromStack(env.stack);
    const albSg = template.toJSON().Resources[logicalId(env, workload.loadBalancerSecurityGroup)];
    expect(albSg.Properties.SecurityGroupIngress).toEqual([
      { CidrIp: '172.16.0.0/16', Description: 'HTTPS from user site 172.16.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' },
      { CidrIp: '172.17.0.0/16', Description: 'HTTPS from user site 172.17.0.0/16', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' },
    ]);
    // No egress anywhere but the tasks: no inline egress rule, one egress rule to the task security group.
    expect(albSg.Properties.SecurityGroupEgress).toBeUndefined();
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [logicalId(env, workload.loadBalancerSecurityGroup), 'GroupId'] },
      DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(env, workload.serviceSecurityGroup), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
      IpProtocol: 'tcp',
    });
    const albEgress = Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', {
      Properties: { GroupId: { 'Fn::GetAtt': [logicalId(env, workload.loadBalancerSecurityGroup), 'GroupId'] } },
    }));
    expect(albEgress).toHaveLength(1);
    // No rule anywhere in the template opens anything to the whole internet.
    expect(JSON.stringify(template.toJSON())).not.toContain('0.0.0.0/0');
  });

  test('serves plain HTTP on port 80 only with the explicit opt-in, from the same CIDRs', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), certificates: undefined, allowPlainHttp: true });
    const template = Template.fromStack(env.stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 1);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    const albSg = template.toJSON().Resources[logicalId(env, workload.loadBalancerSecurityGroup)];
    expect(albSg.Properties.SecurityGroupIngress).toEqual([
      { CidrIp: USER_SITES, Description: `HTTP from user site ${USER_SITES}`, FromPort: 80, ToPort: 80, IpProtocol: 'tcp' },
    ]);
    expect(workload.httpsListener).toBeUndefined();
  });

  test('serves both listeners when a certificate is given and plain HTTP is opted in', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), allowPlainHttp: true });
    const template = Template.fromStack(env.stack);
    template.resourceCountIs('AWS::ElasticLoadBalancingV2::Listener', 2);
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 80, Protocol: 'HTTP' });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::Listener', { Port: 443, Protocol: 'HTTPS' });
  });
});

describe('SecureEcsWorkload: AWS WAF', () => {
  test('a regional web ACL with the four AWS managed rule groups and the rate limit, allowing by default', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    const template = Template.fromStack(env.stack);
    const acls = Object.values(template.findResources('AWS::WAFv2::WebACL'));
    expect(acls).toHaveLength(1);
    const acl = acls[0].Properties;
    expect(acl.Scope).toBe('REGIONAL');
    expect(acl.DefaultAction).toEqual({ Allow: {} });
    expect(acl.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: expect.stringMatching(/^[A-Za-z0-9-]+$/) });
    expect(acl.Rules.map((r: any) => [r.Priority, r.Name])).toEqual([
      [0, 'AWS-AWSManagedRulesAmazonIpReputationList'],
      [1, 'RateLimitPerSourceIp'],
      [2, 'AWS-AWSManagedRulesCommonRuleSet'],
      [3, 'AWS-AWSManagedRulesKnownBadInputsRuleSet'],
      [4, 'AWS-AWSManagedRulesSQLiRuleSet'],
    ]);
    for (const rule of acl.Rules.filter((r: any) => r.Name.startsWith('AWS-'))) {
      expect(rule.OverrideAction).toEqual({ None: {} });
      expect(rule.Statement.ManagedRuleGroupStatement).toEqual({ VendorName: 'AWS', Name: rule.Name.slice(4) });
      expect(rule.VisibilityConfig).toEqual({ CloudWatchMetricsEnabled: true, SampledRequestsEnabled: true, MetricName: rule.Name });
    }
    expect(acl.Rules[1].Action).toEqual({ Block: {} });
    expect(acl.Rules[1].Statement).toEqual({ RateBasedStatement: { Limit: 2000, AggregateKeyType: 'IP', EvaluationWindowSec: 300 } });
  });

  test('has no rate rule unless asked, and sets listed common rules to count', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), commonRuleSetExcludedRules: ['SizeRestrictions_BODY'] });
    const acl = Object.values(Template.fromStack(env.stack).findResources('AWS::WAFv2::WebACL'))[0].Properties;
    expect(acl.Rules.map((r: any) => r.Name)).toEqual([
      'AWS-AWSManagedRulesAmazonIpReputationList', 'AWS-AWSManagedRulesCommonRuleSet',
      'AWS-AWSManagedRulesKnownBadInputsRuleSet', 'AWS-AWSManagedRulesSQLiRuleSet',
    ]);
    expect(acl.Rules[1].Statement.ManagedRuleGroupStatement.RuleActionOverrides).toEqual([{ Name: 'SizeRestrictions_BODY', ActionToUse: { Count: {} } }]);
  });

  test('is associated with the ALB and logs to the given aws-waf-logs- Firehose stream, redacting credentials', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: { Ref: logicalId(env, workload.loadBalancer) },
      WebACLArn: { 'Fn::GetAtt': [env.stack.getLogicalId(workload.webAcl), 'Arn'] },
    });
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      ResourceArn: { 'Fn::GetAtt': [env.stack.getLogicalId(workload.webAcl), 'Arn'] },
      LogDestinationConfigs: [WAF_STREAM_ARN],
      RedactedFields: [{ SingleHeader: { Name: 'authorization' } }, { SingleHeader: { Name: 'cookie' } }],
    });
    // flow logs of the spoke VPC, application logs, the two database log exports; no WAF log group
    template.resourceCountIs('AWS::Logs::LogGroup', 4);
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') } }))).toEqual([]);
    expect(workload.wafLogDestinationArn).toBe(WAF_STREAM_ARN);
    // The logging configuration is exposed, e.g. for logging filters.
    expect(env.stack.resolve(workload.wafLoggingConfiguration.logDestinationConfigs)).toEqual([WAF_STREAM_ARN]);
  });

  test('logs to a KMS-encrypted aws-waf-logs- log group in this account when no destination is given', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', minimalProps(env));
    const template = Template.fromStack(env.stack);
    const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^aws-waf-logs-') } });
    expect(Object.keys(groups)).toHaveLength(1);
    const [id, group] = Object.entries(groups)[0];
    expect(group.DeletionPolicy).toBe('Retain');
    expect(group.Properties.KmsKeyId).toEqual({ 'Fn::GetAtt': [logicalId(env, workload.encryptionKey as kms.Key), 'Arn'] });
    expect(group.Properties.RetentionInDays).toBe(365);
    template.hasResourceProperties('AWS::WAFv2::LoggingConfiguration', {
      LogDestinationConfigs: [{ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:333333333333:log-group:', { Ref: id }]] }],
    });
  });
});

describe('SecureEcsWorkload: ECS Fargate', () => {
  test('a cluster with enhanced Container Insights and no ECS Exec by default', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', minimalProps(env));
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::ECS::Cluster', {
      ClusterSettings: [{ Name: 'containerInsights', Value: 'enhanced' }],
      Configuration: Match.absent(),
    });
  });

  test('the task runs as a non-root user on a read-only root file system with /tmp writable and KMS-encrypted logs', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), environment: { APP_ENV: 'prod' } });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      RequiresCompatibilities: ['FARGATE'],
      NetworkMode: 'awsvpc',
      Cpu: '512',
      Memory: '1024',
      RuntimePlatform: { CpuArchitecture: 'X86_64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'scratch-0' }],
      ContainerDefinitions: [Match.objectLike({
        Name: 'App',
        Essential: true,
        User: '1000',
        ReadonlyRootFilesystem: true,
        PortMappings: [{ ContainerPort: 8080, Protocol: 'tcp' }],
        MountPoints: [{ ContainerPath: '/tmp', SourceVolume: 'scratch-0', ReadOnly: false }],
        Environment: [{ Name: 'APP_ENV', Value: 'prod' }],
        LogConfiguration: {
          LogDriver: 'awslogs',
          Options: { 'awslogs-group': { Ref: logicalId(env, workload.logGroup as any) }, 'awslogs-stream-prefix': 'app', 'awslogs-region': 'ap-northeast-1' },
        },
      })],
    });
    template.hasResource('AWS::Logs::LogGroup', {
      Properties: { KmsKeyId: { 'Fn::GetAtt': [logicalId(env, workload.encryptionKey as kms.Key), 'Arn'] }, RetentionInDays: 365 },
      DeletionPolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([Match.objectLike({
          Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' },
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:333333333333:log-group:*']] } } },
        })]),
      },
    });
  });

  test('two tasks in the app subnets, no public IP, circuit breaker with rollback, AZ rebalancing', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', minimalProps(env));
    const template = Template.fromStack(env.stack);
    const appSubnets = env.spoke.vpc.selectSubnets({ subnetGroupName: 'app' }).subnetIds.map((id) => env.stack.resolve(id));
    template.hasResourceProperties('AWS::ECS::Service', {
      LaunchType: 'FARGATE',
      PlatformVersion: 'LATEST',
      DesiredCount: 2,
      EnableExecuteCommand: false,
      AvailabilityZoneRebalancing: 'ENABLED',
      PropagateTags: 'SERVICE',
      HealthCheckGracePeriodSeconds: 60,
      DeploymentConfiguration: {
        DeploymentCircuitBreaker: { Enable: true, Rollback: true },
        MinimumHealthyPercent: 100,
        MaximumPercent: 200,
      },
      NetworkConfiguration: {
        AwsvpcConfiguration: {
          AssignPublicIp: 'DISABLED',
          Subnets: appSubnets,
          SecurityGroups: [{ 'Fn::GetAtt': [logicalId(env, workload.serviceSecurityGroup), 'GroupId'] }],
        },
      },
      LoadBalancers: [{ ContainerName: 'App', ContainerPort: 8080, TargetGroupArn: { Ref: logicalId(env, workload.targetGroup) } }],
    });
    expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('cannot be spread'))).toEqual([]);
  });

  test('the task security group: container port from the ALB and the bastions; egress to endpoints, S3 and the database only', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    const template = Template.fromStack(env.stack);
    const sgId = { 'Fn::GetAtt': [logicalId(env, workload.serviceSecurityGroup), 'GroupId'] };
    const sg = template.toJSON().Resources[logicalId(env, workload.serviceSecurityGroup)].Properties;
    expect(sg.SecurityGroupIngress).toEqual(BASTIONS.map((cidr) => ({
      CidrIp: cidr, Description: `Operators (port forwarding) from ${cidr}`, FromPort: 8080, ToPort: 8080, IpProtocol: 'tcp',
    })));
    expect(sg.SecurityGroupEgress).toEqual([
      { CidrIp: { 'Fn::GetAtt': [env.stack.getLogicalId(env.spoke.vpc.node.defaultChild as ec2.CfnVPC), 'CidrBlock'] }, Description: 'HTTPS to the interface VPC endpoints', FromPort: 443, ToPort: 443, IpProtocol: 'tcp' },
    ]);
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: sgId,
      SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(env, workload.loadBalancerSecurityGroup), 'GroupId'] },
      FromPort: 8080,
      ToPort: 8080,
      IpProtocol: 'tcp',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: sgId,
      DestinationPrefixListId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovHybridS3PrefixListLookup'), 'PrefixLists.0.PrefixListId'] },
      FromPort: 443,
      ToPort: 443,
      IpProtocol: 'tcp',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: sgId,
      DestinationSecurityGroupId: { 'Fn::GetAtt': [logicalId(env, workload.databaseSecurityGroup), 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
    });
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: sgId } }))).toHaveLength(2);
    // The prefix list lookup reads one AWS-managed prefix list with the SDK of the Lambda runtime (no npm download).
    template.hasResourceProperties('Custom::S3PrefixListLookup', {
      Create: Match.serializedJson(Match.objectLike({
        service: 'EC2',
        action: 'DescribePrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] },
      })),
      InstallLatestAwsSdk: false,
    });
  });

  test('GIVEN the endpoints\' security group THEN HTTPS egress goes to it only, it admits the tasks, and synth does not warn', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...referenceProps(env), endpointSecurityGroup: env.spoke.endpointSecurityGroup });
    const template = Template.fromStack(env.stack);
    const sgId = { 'Fn::GetAtt': [logicalId(env, workload.serviceSecurityGroup), 'GroupId'] };
    const endpointSgId = { 'Fn::GetAtt': [env.stack.getLogicalId(env.spoke.endpointSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup), 'GroupId'] };
    // No address-range egress any more: every egress rule is a separate resource (endpoints, S3, database), and
    // CloudFormation strips the default allow-all rule when such rules are added.
    const sg = template.toJSON().Resources[logicalId(env, workload.serviceSecurityGroup)].Properties;
    expect(sg.SecurityGroupEgress).toBeUndefined();
    expect(Object.values(template.findResources('AWS::EC2::SecurityGroupEgress', { Properties: { GroupId: sgId } }))).toHaveLength(3);
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: sgId, DestinationSecurityGroupId: endpointSgId, FromPort: 443, ToPort: 443, IpProtocol: 'tcp',
    });
    template.hasResourceProperties('AWS::EC2::SecurityGroupIngress', {
      GroupId: endpointSgId, SourceSecurityGroupId: sgId, FromPort: 443, ToPort: 443, IpProtocol: 'tcp',
    });
    expect(Annotations.fromStack(env.stack).findWarning('*', Match.stringLikeRegexp('endpointSecurityGroup'))).toEqual([]);
  });

  test('without the endpoints\' security group, synth warns that the tasks may reach any address of the VPC on 443', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    Annotations.fromStack(env.stack).hasWarning('/Prod/App', Match.stringLikeRegexp(
      '^No `endpointSecurityGroup` is given, so the ECS tasks may open HTTPS \\(443\\) to any address of the VPC, not only to the interface endpoints\\.'));
  });

  test('uses a given S3 prefix list ID without a lookup', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), s3PrefixListId: 'pl-61a54008' });
    const template = Template.fromStack(env.stack);
    template.resourceCountIs('Custom::S3PrefixListLookup', 0);
    template.resourceCountIs('AWS::Lambda::Function', 1); // only the VPC's restrict-default-SG provider
    template.hasResourceProperties('AWS::EC2::SecurityGroupEgress', {
      GroupId: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppServiceSecurityGroup'), 'GroupId'] },
      DestinationPrefixListId: 'pl-61a54008',
      FromPort: 443,
      ToPort: 443,
      IpProtocol: 'tcp',
    });
  });

  test('takes the caller task shape: one task, port, user, CPU architecture, secrets, writable root', () => {
    const env = devEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      desiredCount: 1,
      containerPort: 3000,
      user: '101:101',
      cpu: 1024,
      memoryLimitMiB: 2048,
      cpuArchitecture: ecs.CpuArchitecture.ARM64,
      readonlyRootFilesystem: false,
      scratchPaths: ['/tmp', '/var/cache/app'],
      secrets: { API_KEY: ecs.Secret.fromSsmParameter(ssm.StringParameter.fromSecureStringParameterAttributes(env.stack, 'ApiKey', { parameterName: '/app/api-key' })) },
      healthCheckPath: '/health',
    });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: 1 });
    template.hasResourceProperties('AWS::ECS::TaskDefinition', {
      Cpu: '1024',
      Memory: '2048',
      RuntimePlatform: { CpuArchitecture: 'ARM64', OperatingSystemFamily: 'LINUX' },
      Volumes: [{ Name: 'scratch-0' }, { Name: 'scratch-1' }],
      ContainerDefinitions: [Match.objectLike({
        User: '101:101',
        ReadonlyRootFilesystem: false,
        PortMappings: [{ ContainerPort: 3000, Protocol: 'tcp' }],
        MountPoints: [
          { ContainerPath: '/tmp', SourceVolume: 'scratch-0', ReadOnly: false },
          { ContainerPath: '/var/cache/app', SourceVolume: 'scratch-1', ReadOnly: false },
        ],
        Secrets: [Match.objectLike({ Name: 'API_KEY' })],
      })],
    });
    template.hasResourceProperties('AWS::ElasticLoadBalancingV2::TargetGroup', { Port: 3000, HealthCheckPath: '/health' });
    expect(workload.container.containerName).toBe('App');
  });

  test('ECS Exec, when enabled, encrypts sessions with the workload key and logs them to an encrypted log group', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), enableExecuteCommand: true, readonlyRootFilesystem: false });
    const template = Template.fromStack(env.stack);
    const keyArn = { 'Fn::GetAtt': [logicalId(env, workload.encryptionKey as kms.Key), 'Arn'] };
    template.hasResourceProperties('AWS::ECS::Cluster', {
      Configuration: {
        ExecuteCommandConfiguration: {
          KmsKeyId: keyArn,
          Logging: 'OVERRIDE',
          LogConfiguration: { CloudWatchEncryptionEnabled: true, CloudWatchLogGroupName: { Ref: Match.stringLikeRegexp('^AppExecLogGroup') } },
        },
      },
    });
    template.hasResourceProperties('AWS::ECS::Service', { EnableExecuteCommand: true });
    template.hasResourceProperties('AWS::Logs::LogGroup', { KmsKeyId: keyArn, RetentionInDays: 365 });
  });

  test('warns when several tasks cannot be spread across AZs', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), applicationSubnets: { subnetGroupName: 'app', availabilityZones: ['ap-northeast-1a'] } });
    Annotations.fromStack(env.stack).hasWarning('/Prod/App', Match.stringLikeRegexp('applicationSubnets are in one availability zone, so the 2 tasks cannot be spread across AZs'));
  });
});

describe('SecureEcsWorkload: RDS', () => {
  test('PostgreSQL, encrypted with the workload key, Multi-AZ, backups, deletion protection, IAM auth, PI and Enhanced Monitoring', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', minimalProps(env));
    const template = Template.fromStack(env.stack);
    const keyArn = { 'Fn::GetAtt': [logicalId(env, workload.encryptionKey as kms.Key), 'Arn'] };
    template.hasResource('AWS::RDS::DBInstance', {
      Properties: {
        Engine: 'postgres',
        EngineVersion: '17.9',
        DBInstanceClass: 'db.t4g.medium',
        DBName: 'app',
        Port: '5432',
        MultiAZ: true,
        StorageEncrypted: true,
        KmsKeyId: keyArn,
        StorageType: 'gp3',
        AllocatedStorage: '20',
        BackupRetentionPeriod: 7,
        DeleteAutomatedBackups: false,
        DeletionProtection: true,
        CopyTagsToSnapshot: true,
        EnableIAMDatabaseAuthentication: true,
        PubliclyAccessible: false,
        AutoMinorVersionUpgrade: true,
        CACertificateIdentifier: 'rds-ca-rsa2048-g1',
        EnablePerformanceInsights: true,
        PerformanceInsightsKMSKeyId: keyArn,
        PerformanceInsightsRetentionPeriod: 7,
        MonitoringInterval: 60,
        MonitoringRoleArn: { 'Fn::GetAtt': [Match.stringLikeRegexp('^AppDatabaseMonitoringRole'), 'Arn'] },
        EnableCloudwatchLogsExports: ['postgresql', 'upgrade'],
        ManageMasterUserPassword: true,
        MasterUsername: 'postgres',
        MasterUserSecret: { KmsKeyId: keyArn },
        MasterUserPassword: Match.absent(),
        VPCSecurityGroups: [{ 'Fn::GetAtt': [logicalId(env, workload.databaseSecurityGroup), 'GroupId'] }],
        DBParameterGroupName: { Ref: Match.stringLikeRegexp('^AppDatabaseParameters') },
      },
      DeletionPolicy: 'Snapshot',
      UpdateReplacePolicy: 'Snapshot',
    });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Family: 'postgres17', Parameters: { 'rds.force_ssl': '1' } });
    expect(workload.databaseParameterGroup).toBeDefined();
    expect(logicalId(env, workload.databaseParameterGroup as rds.ParameterGroup)).toMatch(/^AppDatabaseParameters/);
    template.hasResourceProperties('AWS::RDS::DBSubnetGroup', {
      SubnetIds: env.spoke.vpc.selectSubnets({ subnetGroupName: 'data' }).subnetIds.map((id) => env.stack.resolve(id)),
    });
    // RDS manages and rotates the master password itself: no Secrets Manager secret or rotation Lambda in the template.
    template.resourceCountIs('AWS::SecretsManager::Secret', 0);
    template.resourceCountIs('AWS::SecretsManager::RotationSchedule', 0);
    expect(env.stack.resolve(workload.databaseSecret.secretArn)).toEqual({ 'Fn::GetAtt': [logicalId(env, workload.database as rds.DatabaseInstance), 'MasterUserSecret.SecretArn'] });
  });

  test('the exported database logs go to log groups created first: KMS-encrypted, retained, with the workload retention', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), logRetention: logs.RetentionDays.SIX_MONTHS });
    const template = Template.fromStack(env.stack);
    const keyArn = { 'Fn::GetAtt': [logicalId(env, workload.encryptionKey as kms.Key), 'Arn'] };
    expect(workload.databaseInstanceIdentifier).toMatch(/^prod-app-[0-9a-f]{8}-database$/);
    const instanceId = logicalId(env, workload.database as rds.DatabaseInstance);
    const instance = template.toJSON().Resources[instanceId];
    expect(instance.Properties.DBInstanceIdentifier).toBe(workload.databaseInstanceIdentifier);
    const groupIds: string[] = [];
    for (const log of ['postgresql', 'upgrade']) {
      const groups = template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: `/aws/rds/instance/${workload.databaseInstanceIdentifier}/${log}` } });
      expect(Object.values(groups)).toEqual([expect.objectContaining({
        Properties: expect.objectContaining({ KmsKeyId: keyArn, RetentionInDays: 180 }),
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      })]);
      groupIds.push(Object.keys(groups)[0]);
    }
    // RDS would otherwise create them itself, unencrypted and never expiring.
    expect(instance.DependsOn).toEqual(expect.arrayContaining(groupIds));
    expect(workload.databaseLogGroups).toHaveLength(2);
  });

  test('takes a DB instance identifier and log exports from the caller; no exports means no log group', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), databaseInstanceIdentifier: 'prod-app-db', databaseLogExports: [] });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', { DBInstanceIdentifier: 'prod-app-db', EnableCloudwatchLogsExports: Match.absent() });
    expect(Object.keys(template.findResources('AWS::Logs::LogGroup', { Properties: { LogGroupName: Match.stringLikeRegexp('^/aws/rds/') } }))).toEqual([]);
    expect(workload.databaseLogGroups).toEqual([]);
  });

  test('the database security group admits its port from the tasks and the bastions only, with no egress', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    const template = Template.fromStack(env.stack);
    const sg = template.toJSON().Resources[logicalId(env, workload.databaseSecurityGroup)].Properties;
    expect(sg.SecurityGroupIngress).toEqual(BASTIONS.map((cidr) => ({
      CidrIp: cidr, Description: `Operators (port forwarding) from ${cidr}`, FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp',
    })));
    expect(sg.SecurityGroupEgress).toEqual([expect.objectContaining({ CidrIp: '255.255.255.255/32', Description: 'Disallow all traffic' })]);
    const ingress = Object.values(template.findResources('AWS::EC2::SecurityGroupIngress', {
      Properties: { GroupId: { 'Fn::GetAtt': [logicalId(env, workload.databaseSecurityGroup), 'GroupId'] } },
    }));
    expect(ingress.map((r) => r.Properties)).toEqual([{
      GroupId: { 'Fn::GetAtt': [logicalId(env, workload.databaseSecurityGroup), 'GroupId'] },
      SourceSecurityGroupId: { 'Fn::GetAtt': [logicalId(env, workload.serviceSecurityGroup), 'GroupId'] },
      FromPort: 5432,
      ToPort: 5432,
      IpProtocol: 'tcp',
      Description: 'Application to the database',
    }]);
    // Another construct (e.g. the backup dump task) can be allowed in through the database's connections.
    expect(workload.database.connections.securityGroups).toEqual([workload.databaseSecurityGroup]);
  });

  test('Dev: a single-AZ database with a shorter backup retention and a caller instance class', () => {
    const env = devEnv();
    new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      multiAz: false,
      backupRetention: Duration.days(1),
      databaseInstanceType: ec2.InstanceType.of(ec2.InstanceClass.T4G, ec2.InstanceSize.LARGE),
      maxAllocatedStorageGiB: 100,
    });
    Template.fromStack(env.stack).hasResourceProperties('AWS::RDS::DBInstance', {
      MultiAZ: false, BackupRetentionPeriod: 1, DBInstanceClass: 'db.t4g.large', MaxAllocatedStorage: 100,
    });
  });

  test('MySQL gets its own port, TLS parameter and log exports', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      databaseEngine: rds.DatabaseInstanceEngine.mysql({ version: rds.MysqlEngineVersion.VER_8_4_7 }),
    });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::RDS::DBInstance', {
      Engine: 'mysql', Port: '3306', MasterUsername: 'admin', EnableCloudwatchLogsExports: ['error', 'general', 'slowquery'],
    });
    template.hasResourceProperties('AWS::RDS::DBParameterGroup', { Parameters: { require_secure_transport: 'ON' } });
  });
});

describe('SecureEcsWorkload: DNS records', () => {
  test('app.<zone> aliases the ALB and db.<zone> points at the database endpoint', () => {
    const env = prodEnv();
    const workload = new SecureEcsWorkload(env.stack, 'App', referenceProps(env));
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0PROD000000000000001',
      Name: 'app.prod.internal.',
      Type: 'A',
      AliasTarget: {
        DNSName: { 'Fn::Join': ['', ['dualstack.', { 'Fn::GetAtt': [logicalId(env, workload.loadBalancer), 'DNSName'] }]] },
        HostedZoneId: { 'Fn::GetAtt': [logicalId(env, workload.loadBalancer), 'CanonicalHostedZoneID'] },
      },
    });
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      HostedZoneId: 'Z0PROD000000000000001',
      Name: 'db.prod.internal.',
      Type: 'CNAME',
      TTL: '60',
      ResourceRecords: [{ 'Fn::GetAtt': [logicalId(env, workload.database as rds.DatabaseInstance), 'Endpoint.Address'] }],
    });
  });

  test('takes other record names, and creates none without a zone', () => {
    const env = prodEnv();
    const zone = route53.PrivateHostedZone.fromHostedZoneAttributes(env.stack, 'Z', { hostedZoneId: 'Z1', zoneName: 'prod.internal' });
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), privateZone: zone, applicationRecordName: 'juki', databaseRecordName: 'juki-db' });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'juki.prod.internal.', Type: 'A' });
    template.hasResourceProperties('AWS::Route53::RecordSet', { Name: 'juki-db.prod.internal.', Type: 'CNAME' });

    const other = prodEnv();
    new SecureEcsWorkload(other.stack, 'App', minimalProps(other));
    Template.fromStack(other.stack).resourceCountIs('AWS::Route53::RecordSet', 0);
  });
});

describe('SecureEcsWorkload: cdk-nag', () => {
  test.each([
    ['Prod default configuration', () => { const env = prodEnv(); new SecureEcsWorkload(env.stack, 'App', minimalProps(env)); return env; }],
    ['Prod reference configuration', () => { const env = prodEnv(); new SecureEcsWorkload(env.stack, 'App', referenceProps(env)); return env; }],
    ['Dev reference configuration (single-AZ database, one task, ECS Exec)', () => {
      const env = devEnv();
      new SecureEcsWorkload(env.stack, 'App', {
        ...referenceProps(env),
        wafLogDestinationArn: 'arn:aws:firehose:ap-northeast-1:444444444444:deliverystream/aws-waf-logs-gov-444444444444',
        accessLogsPrefix: 'alb/dev-app',
        privateZone: route53.PrivateHostedZone.fromHostedZoneAttributes(env.stack, 'DevZone', { hostedZoneId: 'Z0DEV', zoneName: 'dev.internal' }),
        multiAz: false,
        desiredCount: 1,
        enableExecuteCommand: true,
        readonlyRootFilesystem: false,
      });
      return env;
    }],
  ])('the AwsSolutions and NIST 800-53 R5 packs report nothing: %s', (_name, build) => {
    const env = build();
    expect(new AwsSolutionsChecks().validateScope(env.stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(env.stack).violations).toEqual([]);
  });

  test('plain HTTP stays visible to cdk-nag: the construct does not acknowledge it for the caller', () => {
    const env = prodEnv();
    new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), allowPlainHttp: true });
    const rules = new NIST80053R5Checks().validateScope(env.stack).violations.map((v) => v.ruleName);
    expect(rules).toContain('NIST.800.53.R5-ALBHttpToHttpsRedirection');
  });
});

test('an SSE-KMS access log bucket is refused (ARCHITECTURE.md correction 5)', () => {
  const env = prodEnv();
  const key = new kms.Key(env.stack, 'BucketKey', { enableKeyRotation: true });
  const bucket = s3.Bucket.fromBucketAttributes(env.stack, 'KmsBucket', { bucketName: 'kms-bucket', encryptionKey: key });
  expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), accessLogsBucket: bucket })).toThrow([
    'Invalid SecureEcsWorkload props at Prod/App (1 problem):',
    '  - `accessLogsBucket` Prod/KmsBucket is encrypted with a KMS key; ALB access logs can only be written to an SSE-S3 bucket (ARCHITECTURE.md correction 5): use the log archive\'s SSE-S3 bucket.',
  ].join('\n'));
});
