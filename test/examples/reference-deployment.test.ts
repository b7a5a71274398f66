import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { createReferenceApp, ReferenceApp } from '../../examples/reference-deployment/app';
import { loadConfig, REFERENCE_DEFAULTS } from '../../examples/reference-deployment/config';

/** A context source for loadConfig from a plain object. */
function contextOf(values: Record<string, unknown>) {
  return { tryGetContext: (key: string) => values[key] };
}

describe('the reference deployment', () => {
  let ref: ReferenceApp;
  beforeAll(() => {
    // The app registers cdk-nag as a synthesis plugin; here each pack runs per stack so a finding names its stack.
    ref = createReferenceApp({ nag: false, env: {} });
  });

  test('has the four accounts of the issue, in deployment order, with the spoke routing last', () => {
    const accounts = ref.stacks.map((s) => `${s.stackName}@${s.account}/${s.region}`);
    expect(accounts).toEqual([
      'GovHybrid-Security@111111111111/ap-northeast-1',
      'GovHybrid-Network@222222222222/ap-northeast-1',
      'GovHybrid-Prod@333333333333/ap-northeast-1',
      'GovHybrid-Dev@444444444444/ap-northeast-1',
      'GovHybrid-NetworkSpokes@222222222222/ap-northeast-1',
    ]);
    const deps = (s: Stack) => s.dependencies.map((d) => d.stackName).sort();
    expect(deps(ref.security)).toEqual([]);
    expect(deps(ref.network)).toEqual(['GovHybrid-Security']);
    expect(deps(ref.prod)).toEqual(['GovHybrid-Network']);
    expect(deps(ref.dev)).toEqual(['GovHybrid-Network']);
    expect(deps(ref.networkSpokes)).toEqual(['GovHybrid-Dev', 'GovHybrid-Network', 'GovHybrid-Prod']);
  });

  test.each(['AwsSolutions', 'NIST.800.53.R5'])('cdk-nag %s reports no unacknowledged finding on any stack', (pack) => {
    const checks = pack === 'AwsSolutions' ? new AwsSolutionsChecks() : new NIST80053R5Checks();
    const findings = ref.stacks.flatMap((stack) => checks.validateScope(stack).violations
      .flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`)));
    expect(findings).toEqual([]);
  });

  test('cross-stack references stay inside one account and region', () => {
    // NetworkSpokes reads the hub's route table IDs from GovHybrid-Network (same account); nothing crosses an account.
    const references = (stack: Stack) => {
      const text = JSON.stringify(Template.fromStack(stack).toJSON());
      return [...text.matchAll(/"Fn::GetStackOutput":(\{[^}]*\})/g)].map((m) => JSON.parse(m[1]))
        .concat((text.match(/"Fn::ImportValue"/g) ?? []).map(() => ({ StackName: 'import' })));
    };
    for (const stack of [ref.security, ref.network, ref.prod, ref.dev]) {
      expect(references(stack)).toEqual([]);
    }
    const spokeRefs = references(ref.networkSpokes);
    expect(spokeRefs.length).toBeGreaterThan(0);
    for (const r of spokeRefs) {
      expect(r).toEqual({ StackName: 'GovHybrid-Network', Region: 'ap-northeast-1', OutputName: expect.any(String) });
    }
  });

  test('every log the deployment writes goes to the Security account archive or stays encrypted in its account', () => {
    const archive = 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1';
    for (const stack of [ref.network, ref.prod, ref.dev]) {
      const flowLogs = Object.values(Template.fromStack(stack).findResources('AWS::EC2::FlowLog'));
      expect(flowLogs.length).toBeGreaterThan(0);
      for (const flowLog of flowLogs) {
        expect(flowLog.Properties.LogDestinationType).toBe('s3');
        expect(JSON.stringify(flowLog.Properties.LogDestination)).toContain(archive.replace('arn:aws:s3:::', ''));
      }
    }
    Template.fromStack(ref.prod).hasResourceProperties('AWS::ElasticLoadBalancingV2::LoadBalancer', {
      LoadBalancerAttributes: Match.arrayWith([
        { Key: 'access_logs.s3.bucket', Value: 'gov-hybrid-alb-logs-111111111111-ap-northeast-1' },
      ]),
    });
  });
});

describe('the reference configuration', () => {
  test('defaults to the placeholder accounts, Tokyo and the address plan of ARCHITECTURE.md', () => {
    const config = loadConfig(contextOf({}), {});
    expect(config.accounts).toEqual({ security: '111111111111', network: '222222222222', prod: '333333333333', dev: '444444444444' });
    expect(config.region).toBe('ap-northeast-1');
    expect(config.availabilityZones).toEqual(['ap-northeast-1a', 'ap-northeast-1c']);
    expect(config.network.cidr).toBe('192.168.0.0/16');
    expect(config.prod.transferCidr).toBe('10.0.20.0/26');
    expect(config).toEqual(REFERENCE_DEFAULTS);
  });

  test('context overrides environment variables, which override the defaults', () => {
    const config = loadConfig(contextOf({ networkAccount: '555555555555', availabilityZones: 'ap-northeast-3a,ap-northeast-3c' }),
      { GOV_NETWORK_ACCOUNT: '666666666666', GOV_PROD_ACCOUNT: '777777777777', GOV_REGION: 'ap-northeast-3' });
    expect(config.accounts.network).toBe('555555555555');
    expect(config.accounts.prod).toBe('777777777777');
    expect(config.region).toBe('ap-northeast-3');
    expect(config.availabilityZones).toEqual(['ap-northeast-3a', 'ap-northeast-3c']);
    // The placeholder certificate ARNs follow the account and region overrides.
    expect(config.prod.certificateArn).toBe('arn:aws:acm:ap-northeast-3:777777777777:certificate/00000000-0000-4000-8000-000000000333');
  });

  test('a stack synthesized for overridden accounts uses them', () => {
    const ref = createReferenceApp({ nag: false, env: {}, context: { prodAccount: '888888888888' } });
    expect(ref.prod.account).toBe('888888888888');
  });

  test('rejects malformed overrides in one error naming each', () => {
    expect(() => loadConfig(contextOf({ prodAccount: '1234', region: 'tokyo', availabilityZones: 'ap-northeast-1a' }),
      { GOV_DEV_CERTIFICATE_ARN: 'arn:aws:acm:bad' })).toThrow([
      'Invalid reference deployment configuration (4 problems):',
      '  - `prodAccount` (context) / GOV_PROD_ACCOUNT 1234 is not an AWS account ID; use the 12 digits of the account.',
      '  - `region` (context) / GOV_REGION tokyo is not an AWS Region code; use e.g. ap-northeast-1.',
      '  - `availabilityZones` (context) / GOV_AVAILABILITY_ZONES ap-northeast-1a must name exactly two availability zones of tokyo, comma-separated (the address plan has one subnet per AZ and group, two AZs).',
      '  - `devCertificateArn` (context) / GOV_DEV_CERTIFICATE_ARN arn:aws:acm:bad is not an ACM certificate ARN; use arn:aws:acm:<region>:<account>:certificate/<id>.',
    ].join('\n'));
  });

  test('rejects the same account for two roles', () => {
    expect(() => loadConfig(contextOf({ devAccount: '333333333333' }), {})).toThrow(
      'the four accounts must be distinct; got security 111111111111, network 222222222222, prod 333333333333, dev 333333333333.');
  });
});
