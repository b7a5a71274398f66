import { CfnParameter, Duration, Token } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { AZS, minimalProps, prodEnv } from './fixtures';
import { SecureEcsWorkload } from '../../src/ecs-workload';
import { IsolatedSpokeVpc } from '../../src/spoke-vpc';

describe('SecureEcsWorkload validation', () => {
  test('the bad inputs of the issue are reported together, each with the prop, the value and the fix', () => {
    // GIVEN a second VPC whose subnets are wrongly passed for the ALB
    const env = prodEnv();
    const other = new IsolatedSpokeVpc(env.stack, 'Other', {
      vpcCidr: '10.0.64.0/18',
      availabilityZones: AZS,
      transitGatewayAttachmentSubnetCidrs: ['10.0.64.0/28', '10.0.64.16/28'],
      loadBalancerSubnetCidrs: ['10.0.65.0/24', '10.0.66.0/24'],
      applicationSubnetCidrs: ['10.0.74.0/24', '10.0.75.0/24'],
      dataSubnetCidrs: ['10.0.94.0/24', '10.0.95.0/24'],
    });
    // WHEN / THEN
    expect(() => new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      userSiteCidrs: ['172.16.0.0/16', '0.0.0.0/0'],
      certificates: [],
      desiredCount: 0,
      containerPort: 70000,
      backupRetention: Duration.days(0),
      loadBalancerSubnets: { subnets: other.vpc.selectSubnets({ subnetGroupName: 'alb' }).subnets },
    })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (7 problems):',
      '  - `userSiteCidrs[1]` 0.0.0.0/0 allows every address; give the user-site networks only, e.g. 172.16.0.0/16.',
      '  - `loadBalancerSubnets.subnets[0]` Prod/Other/Resource/albSubnet1 is not a subnet of `vpc` (Prod/Spoke/Resource); select subnets of the VPC the workload runs in.',
      '  - `loadBalancerSubnets.subnets[1]` Prod/Other/Resource/albSubnet2 is not a subnet of `vpc` (Prod/Spoke/Resource); select subnets of the VPC the workload runs in.',
      '  - `certificates` [] is empty and `allowPlainHttp` is not set; give the HTTPS certificate of the ALB (AWS Private CA or a certificate imported into ACM), or set `allowPlainHttp: true` to serve plain HTTP on port 80 explicitly.',
      '  - `containerPort` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `desiredCount` 0 is not a task count; use an integer from 1 to 1000.',
      '  - `backupRetention` "0 days" is outside the RDS automated backup retention; use whole days from 1 to 35 (0 would turn automated backups off).',
    ].join('\n'));
  });

  test('a DB instance identifier and log exports that RDS would refuse', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env), databaseInstanceIdentifier: 'Prod--DB', databaseLogExports: ['postgresql', 'slow query'],
    })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (2 problems):',
      '  - `databaseInstanceIdentifier` Prod--DB is not a DB instance identifier; use 1-63 lowercase letters, digits and hyphens, starting with a letter, not ending with a hyphen and without two consecutive hyphens, e.g. prod-app-db.',
      '  - `databaseLogExports[1]` "slow query" is not an RDS log type; use the engine\'s log names, e.g. postgresql, upgrade (PostgreSQL) or error, general, slowquery (MySQL).',
    ].join('\n'));
    expect(() => new SecureEcsWorkload(env.stack, 'App2', { ...minimalProps(env), databaseInstanceIdentifier: 'prod-db-' })).toThrow(
      '`databaseInstanceIdentifier` prod-db- is not a DB instance identifier;');
  });

  test('no user-site CIDR at all', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), userSiteCidrs: [] })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (1 problem):',
      '  - `userSiteCidrs` [] is empty; give the user-site CIDRs that may reach the ALB, e.g. 172.16.0.0/16.',
    ].join('\n'));
  });

  test('no certificate and no opt-in when certificates is omitted', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), certificates: undefined })).toThrow(
      '`certificates` [] is empty and `allowPlainHttp` is not set;');
  });

  test.each([
    [Duration.days(36), '`backupRetention` "36 days" is outside the RDS automated backup retention; use whole days from 1 to 35 (0 would turn automated backups off).'],
    [Duration.hours(36), '`backupRetention` "1 day 12 hours" is outside the RDS automated backup retention; use whole days from 1 to 35 (0 would turn automated backups off).'],
  ])('backup retention %s is refused', (backupRetention, message) => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), backupRetention })).toThrow(
      `Invalid SecureEcsWorkload props at Prod/App (1 problem):\n  - ${message}`);
  });

  test('subnets that do not resolve in the VPC, or span too few AZs for the ALB and the DB subnet group', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      loadBalancerSubnets: { subnetGroupName: 'alb', availabilityZones: ['ap-northeast-1a'] },
      applicationSubnets: { subnetGroupName: 'web' },
      dataSubnets: { subnetGroupName: 'data', availabilityZones: ['ap-northeast-1c'] },
    })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (3 problems):',
      '  - `loadBalancerSubnets` {subnetGroupName:\'alb\',availabilityZones:[ap-northeast-1a]} selects subnets in 1 availability zone (ap-northeast-1a); an Application Load Balancer needs subnets in at least two AZs.',
      '  - `applicationSubnets` {subnetGroupName:\'web\'} cannot be resolved in `vpc` (There are no subnet groups with name \'web\' in this VPC. Available names: tgw-attach,alb,app,data,transfer); select subnets of that VPC, e.g. { subnetGroupName: \'app\' }.',
      '  - `dataSubnets` {subnetGroupName:\'data\',availabilityZones:[ap-northeast-1c]} selects subnets in 1 availability zone (ap-northeast-1c); an RDS DB subnet group needs subnets in at least two AZs, also for a single-AZ instance.',
    ].join('\n'));
  });

  test('a VPC imported by subnet IDs is checked by subnet ID', () => {
    const env = prodEnv();
    const vpc = ec2.Vpc.fromVpcAttributes(env.stack, 'Imported', {
      vpcId: 'vpc-0123456789abcdef0',
      vpcCidrBlock: '10.0.0.0/18',
      availabilityZones: AZS,
      isolatedSubnetIds: ['subnet-aaaa', 'subnet-cccc'],
      isolatedSubnetNames: ['app'],
    });
    const foreign = ['subnet-ffff', 'subnet-cccc'].map((id, i) => ec2.Subnet.fromSubnetAttributes(env.stack, `S${i}`, { subnetId: id, availabilityZone: AZS[i] }));
    expect(() => new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      vpc,
      loadBalancerSubnets: { subnets: foreign },
      applicationSubnets: { subnetGroupName: 'app' },
      dataSubnets: { subnetGroupName: 'app' },
    })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (1 problem):',
      '  - `loadBalancerSubnets.subnets[0]` subnet-ffff is not a subnet of `vpc` (vpc-0123456789abcdef0); select subnets of the VPC the workload runs in.',
    ].join('\n'));
  });

  test('every other bad input is reported with its fix', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      certificates: [],
      allowPlainHttp: true,
      sslPolicy: elbv2.SslPolicy.RECOMMENDED_TLS,
      operatorSourceCidrs: ['192.168.10.0/33', '0.0.0.0/0'],
      accessLogsPrefix: 'AWSLogs/alb/',
      rateLimitPerFiveMinutes: 5,
      commonRuleSetExcludedRules: ['Size Restrictions'],
      user: 'root',
      scratchPaths: ['tmp'],
      healthCheckPath: 'health',
      enableExecuteCommand: true,
      databasePort: 80,
      allocatedStorageGiB: 30,
      maxAllocatedStorageGiB: 25,
      databaseName: '1app',
    })).toThrow([
      'Invalid SecureEcsWorkload props at Prod/App (13 problems):',
      '  - `operatorSourceCidrs[0]` 192.168.10.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '  - `operatorSourceCidrs[1]` 0.0.0.0/0 allows every address; give the bastion subnets only, e.g. 192.168.10.0/24.',
      '  - `sslPolicy` ELBSecurityPolicy-TLS13-1-2-2021-06 is set but there is no HTTPS listener; give `certificates` or remove `sslPolicy`.',
      '  - `accessLogsPrefix` AWSLogs/alb/ is not a valid access log prefix; use a non-empty key prefix without a leading or trailing / that does not contain AWSLogs, e.g. alb/prod.',
      '  - `rateLimitPerFiveMinutes` 5 is not a WAF rate limit in requests per 5 minutes; use an integer from 10 to 2000000000.',
      '  - `commonRuleSetExcludedRules[0]` "Size Restrictions" is not a WAF rule name; give the name of a rule of AWSManagedRulesCommonRuleSet, e.g. SizeRestrictions_BODY.',
      '  - `user` root runs the container as root; give a non-root user such as 1000 or 1000:1000.',
      '  - `scratchPaths[0]` tmp is not an absolute container path; write it like /tmp (no trailing /).',
      '  - `healthCheckPath` health is not an HTTP path; start it with / and use no spaces, e.g. /health.',
      '  - `enableExecuteCommand` true needs a writable root file system, but `readonlyRootFilesystem` is true (the default); the ECS Exec agent writes into the container, so set `readonlyRootFilesystem: false` or turn ECS Exec off.',
      '  - `databasePort` 80 is not an RDS database port; use an integer from 1150 to 65535.',
      '  - `maxAllocatedStorageGiB` 25 is not above `allocatedStorageGiB` (30); give a larger limit or omit it.',
      '  - `databaseName` 1app is not a database name; use a letter followed by up to 62 letters, digits or underscores, e.g. app.',
    ].join('\n'));
  });

  test.each([
    ['0:0', 'runs the container as root'],
    ['0', 'runs the container as root'],
    ['root:root', 'runs the container as root'],
  ])('user %s is refused', (user, text) => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), user })).toThrow(`\`user\` ${user} ${text}`);
  });

  test.each([
    ['arn:aws:firehose:ap-northeast-1:333333333333:deliverystream/waf-logs', '`wafLogDestinationArn` arn:aws:firehose:ap-northeast-1:333333333333:deliverystream/waf-logs names waf-logs, which does not start with aws-waf-logs-; AWS WAF only logs to destinations whose name starts with aws-waf-logs- (ARCHITECTURE.md correction 5).'],
    ['arn:aws:firehose:ap-northeast-1:111111111111:deliverystream/aws-waf-logs-central', '`wafLogDestinationArn` arn:aws:firehose:ap-northeast-1:111111111111:deliverystream/aws-waf-logs-central is in account 111111111111, but the web ACL is in account 333333333333; AWS WAF logs only to a destination in the web ACL\'s account: create an aws-waf-logs- Firehose stream in 333333333333 that delivers to the log archive account (ARCHITECTURE.md correction 5).'],
    ['arn:aws:logs:us-east-1:333333333333:log-group:aws-waf-logs-x', '`wafLogDestinationArn` arn:aws:logs:us-east-1:333333333333:log-group:aws-waf-logs-x is in region us-east-1, but the web ACL is in ap-northeast-1; use a destination in the web ACL\'s region.'],
    ['arn:aws:logs:ap-northeast-1:333333333333:log-group:aws-waf-logs-x:*', '`wafLogDestinationArn` arn:aws:logs:ap-northeast-1:333333333333:log-group:aws-waf-logs-x:* ends with :*; give the log group ARN without the :* suffix, as AWS WAF expects.'],
    ['arn:aws:s3:::central-logs', '`wafLogDestinationArn` arn:aws:s3:::central-logs names central-logs, which does not start with aws-waf-logs-; AWS WAF only logs to destinations whose name starts with aws-waf-logs- (ARCHITECTURE.md correction 5).'],
    ['arn:aws:sqs:ap-northeast-1:333333333333:aws-waf-logs-q', '`wafLogDestinationArn` arn:aws:sqs:ap-northeast-1:333333333333:aws-waf-logs-q is not the ARN of a Firehose delivery stream, a CloudWatch Logs log group or an S3 bucket; AWS WAF logs only to these.'],
    ['aws-waf-logs-prod', '`wafLogDestinationArn` aws-waf-logs-prod is not an ARN; give the ARN of an aws-waf-logs- Firehose delivery stream, CloudWatch Logs log group or S3 bucket.'],
  ])('WAF log destination %s is refused', (arn, message) => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'App', { ...minimalProps(env), wafLogDestinationArn: arn })).toThrow(
      `Invalid SecureEcsWorkload props at Prod/App (1 problem):\n  - ${message}`);
  });

  test('an aws-waf-logs- S3 bucket and a Firehose stream ARN built from tokens are accepted', () => {
    const env = prodEnv();
    expect(() => new SecureEcsWorkload(env.stack, 'A', { ...minimalProps(env), wafLogDestinationArn: 'arn:aws:s3:::aws-waf-logs-prod-333333333333' })).not.toThrow();
    const tokenArn = `arn:aws:firehose:${env.stack.region}:${Token.asString({ Ref: 'AWS::AccountId' })}:deliverystream/aws-waf-logs-x`;
    expect(() => new SecureEcsWorkload(env.stack, 'B', { ...minimalProps(env), wafLogDestinationArn: tokenArn })).not.toThrow();
    expect(() => new SecureEcsWorkload(env.stack, 'C', { ...minimalProps(env), wafLogDestinationArn: Token.asString({ 'Fn::GetAtt': ['Stream', 'Arn'] }) })).not.toThrow();
  });

  test('unresolved tokens are not checked at synthesis', () => {
    const env = prodEnv();
    const param = (name: string, type: string) => new CfnParameter(env.stack, name, { type });
    new SecureEcsWorkload(env.stack, 'App', {
      ...minimalProps(env),
      userSiteCidrs: [param('UserSiteCidr', 'String').valueAsString],
      containerPort: param('Port', 'Number').valueAsNumber,
      desiredCount: param('Count', 'Number').valueAsNumber,
      user: param('User', 'String').valueAsString,
    });
    const template = Template.fromStack(env.stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      SecurityGroupIngress: [Match.objectLike({ CidrIp: { Ref: 'UserSiteCidr' }, FromPort: 443, ToPort: 443, IpProtocol: 'tcp' })],
    });
    template.hasResourceProperties('AWS::ECS::Service', { DesiredCount: { Ref: 'Count' } });
  });
});
