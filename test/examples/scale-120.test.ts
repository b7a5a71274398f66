import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { createScaleApp, ScaleApp } from '../../examples/scale-120/app';
import { DEPARTMENTS, ENVIRONMENTS, scalePlan, spokeSubnets } from '../../examples/scale-120/config';
import { estimatePolicyBytes } from '../../src/private/policy-size';
import { cfnLintFindings } from '../support/cfn-lint';

// Seed 001's organization built with the library: 120 accounts, 127 stacks. CloudFormation refuses a template above
// 500 resources or 1 MB; the layout must keep every stack far below both.
const MAX_RESOURCES = 500;
const MAX_TEMPLATE_BYTES = 1024 * 1024;

/** "a.b.c.d/n" → [first address, last address] as numbers. */
function range(cidr: string): [number, number] {
  const [ip, bits] = cidr.split('/');
  const start = ip.split('.').reduce((acc, octet) => acc * 256 + Number(octet), 0);
  return [start, start + 2 ** (32 - Number(bits)) - 1];
}
const inside = (inner: string, outer: string) => range(outer)[0] <= range(inner)[0] && range(inner)[1] <= range(outer)[1];
const overlaps = (a: string, b: string) => range(a)[0] <= range(b)[1] && range(b)[0] <= range(a)[1];

describe('the 120-account scale example', () => {
  let scale: ScaleApp;
  let assembly: CloudAssembly;
  let outdir: string;
  beforeAll(() => {
    outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'scale-120-'));
    scale = createScaleApp({ accounts: 120, outdir });
    assembly = scale.app.synth();
  });
  afterAll(() => fs.rmSync(outdir, { recursive: true, force: true }));

  const template = (stack: Stack) => Template.fromJSON(JSON.parse(fs.readFileSync(path.join(outdir, stack.templateFile), 'utf8')));

  test('has 120 accounts: 4 core and 116 workload accounts, each spoke in its own stack', () => {
    const { plan } = scale;
    expect(plan.workloads).toHaveLength(116);
    expect(plan.workloads.filter((w) => w.department !== 'common')).toHaveLength(96);
    const accounts = new Set([plan.managementAccount, plan.securityAccount, plan.networkAccount, plan.sharedServices.accountId,
      ...plan.workloads.map((w) => w.accountId)]);
    expect(accounts.size).toBe(120);
    // The management account deploys nothing; the 119 others do.
    expect(new Set(scale.stacks.map((s) => s.account)).size).toBe(119);
    expect(scale.stacks).toHaveLength(127);
    expect(scale.spokes).toHaveLength(119);
    expect(scale.routing.map((s) => s.stackName)).toEqual(['Scale-Routing-core', ...DEPARTMENTS.map((d) => `Scale-Routing-${d}`)]);
  });

  test('keeps every template far below CloudFormation\'s 500 resources and 1 MB', () => {
    const stacks = assembly.stacks;
    expect(stacks).toHaveLength(127);
    const sizes = stacks.map((s) => ({
      name: s.stackName,
      resources: Object.keys(s.template.Resources ?? {}).length,
      bytes: fs.statSync(path.join(outdir, s.templateFile)).size,
    }));
    const worst = (key: 'resources' | 'bytes') => sizes.reduce((a, b) => (b[key] > a[key] ? b : a));
    expect(worst('resources').resources).toBeLessThanOrEqual(MAX_RESOURCES);
    expect(worst('bytes').bytes).toBeLessThanOrEqual(MAX_TEMPLATE_BYTES);
    // Far below, not just below: the largest stacks are the hub and the department routing stacks, ~150 resources.
    expect(worst('resources').resources).toBeLessThan(200);
    expect(worst('bytes').bytes).toBeLessThan(200 * 1024);
    expect(sizes.reduce((sum, s) => sum + s.resources, 0)).toBeGreaterThan(7000);
  });

  test('sizes each department routing stack by the arithmetic of the README (about 6 resources per spoke)', () => {
    for (const stack of scale.routing.slice(1)) {
      const department = stack.stackName.replace('Scale-Routing-', '');
      const workloads = scale.plan.workloads.filter((w) => w.department === department);
      const t = template(stack);
      const count = (type: string) => Object.keys(t.findResources(type)).length;
      expect(count('Custom::TransitGatewaySpokeAttachment')).toBe(workloads.length);
      expect(count('AWS::EC2::TransitGatewayRouteTableAssociation')).toBe(workloads.length);
      // Own segment, core and onprem for every spoke, plus the API peers of each API account.
      const apiPropagations = workloads.filter((w) => w.role === 'api').length * (department === 'common' ? 4 : 2);
      expect(count('AWS::EC2::TransitGatewayRouteTablePropagation')).toBe(workloads.length * 3 + apiPropagations);
      // Plus the lookup function (log group, policy, role, function).
      expect(Object.keys(t.toJSON().Resources).length).toBe(workloads.length * 5 + apiPropagations + 4);
    }
  });

  test('shares the transit gateway by OU, with default association and propagation off and 22 route tables', () => {
    const t = template(scale.hub);
    t.hasResourceProperties('AWS::EC2::TransitGateway', {
      DefaultRouteTableAssociation: 'disable', DefaultRouteTablePropagation: 'disable', AutoAcceptSharedAttachments: 'disable',
    });
    t.hasResourceProperties('AWS::RAM::ResourceShare', {
      AllowExternalPrincipals: false,
      Principals: Object.values(scale.plan.organizationalUnitArns),
    });
    t.resourceCountIs('AWS::EC2::TransitGatewayRouteTable', 22);
    t.resourceCountIs('AWS::EC2::VPNConnection', 2);
    expect(scale.hub.hub.routeTableQuota).toBe(22);
  });

  test('blackholes the other three environments in every department-environment segment', () => {
    const t = template(scale.hub);
    const blackholes = t.findResources('AWS::EC2::TransitGatewayRoute', { Properties: { Blackhole: true } });
    expect(Object.keys(blackholes)).toHaveLength(DEPARTMENTS.length * ENVIRONMENTS.length * 3);
    const segment = scale.hub.segment('mfg-prod');
    const routeTableId = Object.entries(t.findResources('AWS::EC2::TransitGatewayRouteTable'))
      .find(([, r]) => r.Properties.Tags.some((tag: any) => tag.Value === `technova-tgw-${segment.segmentName}`))![0];
    const destinations = Object.values(blackholes)
      .filter((r) => r.Properties.TransitGatewayRouteTableId.Ref === routeTableId)
      .map((r) => r.Properties.DestinationCidrBlock).sort();
    expect(destinations).toEqual(['10.0.0.0/13', '10.16.0.0/13', '10.8.0.0/13']);
  });

  test('associates each spoke with its department-environment segment and propagates API accounts to their peers only', () => {
    const t = template(scale.routing[1]); // mfg
    const table = (segment: string) => Match.objectLike({ 'Fn::GetStackOutput': Match.objectLike({ OutputName: Match.stringLikeRegexp(`^PublishOutputRefHubSegment${segment.replace(/-/g, '')}`) }) });
    const lookup = (name: string) => Object.entries(t.findResources('Custom::TransitGatewaySpokeAttachment', { Properties: { Name: name } }))[0][0];
    t.hasResourceProperties('AWS::EC2::TransitGatewayRouteTableAssociation', {
      TransitGatewayAttachmentId: { 'Fn::GetAtt': [lookup('mfg-prod-app'), 'Id'] }, TransitGatewayRouteTableId: table('mfg-prod'),
    });
    const propagatedInto = (name: string) => Object.values(t.findResources('AWS::EC2::TransitGatewayRouteTablePropagation'))
      .filter((r) => r.Properties.TransitGatewayAttachmentId['Fn::GetAtt'][0] === lookup(name))
      .map((r) => /PublishOutputRefHubSegment([a-z]+)/.exec(r.Properties.TransitGatewayRouteTableId['Fn::GetStackOutput'].OutputName)![1]).sort();
    expect(propagatedInto('mfg-prod-app')).toEqual(['core', 'mfgprod', 'onprem']);
    expect(propagatedInto('mfg-prod-api')).toEqual(['commonprod', 'core', 'mfgprod', 'onprem', 'salesprod']);
  });

  test('references across stacks only inside the Network account', () => {
    for (const stack of scale.stacks) {
      const text = JSON.stringify(template(stack).toJSON());
      expect(text).not.toContain('Fn::ImportValue');
      for (const m of text.matchAll(/"Fn::GetStackOutput":\{"StackName":"([^"]+)"/g)) {
        const source = scale.stacks.find((s) => s.stackName === m[1])!;
        expect(`${source.account}/${source.region}`).toBe(`${stack.account}/${stack.region}`);
      }
    }
  });

  test('keeps the log archive policies organization-scoped and far below their limits', () => {
    const t = template(scale.archive);
    const logBucketPolicy = Object.values(t.findResources('AWS::S3::BucketPolicy'))
      .find((p) => JSON.stringify(p).includes('delivery.logs.amazonaws.com'))!;
    expect(JSON.stringify(logBucketPolicy)).toContain('"aws:SourceOrgID":"o-technova001"');
    expect(JSON.stringify(logBucketPolicy)).not.toContain(scale.plan.workloads[0].accountId);
    const archive = scale.archive.archive;
    const bytes = (bucket: any) => estimatePolicyBytes(scale.archive, bucket.policy.document);
    expect(bytes(archive.logBucket)).toBeLessThan(5 * 1024);
    // The ALB statement lists each account's path (the ELB account is in no organization): about 100 bytes each.
    expect(bytes(archive.albLogBucket)).toBeLessThan(14 * 1024);
  });

  test('passes cfn-lint on one template of every shape (archive, hub, network VPC, a workload spoke, both routing kinds)', () => {
    const byName = (name: string) => scale.stacks.find((s) => s.stackName === name)!;
    const shapes = ['Scale-Security', 'Scale-Network', 'Scale-Network-Vpc', 'Scale-Security-Vpc', 'Scale-mfg-prod-api',
      'Scale-Routing-core', 'Scale-Routing-service', 'Scale-Routing-common'].map(byName);
    expect(cfnLintFindings(scale.app, shapes)).toEqual([]);
  });
});

describe('the scale plan', () => {
  test('gives every VPC its own range: /20 accounts inside /16 department-environments inside /13 environments', () => {
    const plan = scalePlan(120);
    const vpcs = [plan.sharedServices.cidr, plan.securityVpc.cidr, plan.networkVpc.cidr, ...plan.workloads.map((w) => w.cidr)];
    for (let i = 0; i < vpcs.length; i++) {
      for (let j = i + 1; j < vpcs.length; j++) {
        expect([vpcs[i], vpcs[j], overlaps(vpcs[i], vpcs[j])]).toEqual([vpcs[i], vpcs[j], false]);
      }
    }
    for (const w of plan.workloads) {
      expect(w.cidr.endsWith('/20')).toBe(true);
      expect(inside(w.cidr, plan.environmentCidrs[w.environment])).toBe(true);
      expect(plan.onPremisesCidrs.some((c) => overlaps(c, w.cidr))).toBe(false);
    }
    expect(plan.workloads.find((w) => w.name === 'mfg-prod-app')!.cidr).toBe('10.24.0.0/20');
    expect(plan.workloads.find((w) => w.name === 'iot-dev-network')!.cidr).toBe('10.3.80.0/20');
  });

  test('carves each spoke VPC into two /28 attachment subnets and three pairs of /24s', () => {
    expect(spokeSubnets('10.24.32.0/20')).toEqual({
      tgw: ['10.24.32.0/28', '10.24.32.16/28'],
      alb: ['10.24.33.0/24', '10.24.34.0/24'],
      app: ['10.24.36.0/24', '10.24.37.0/24'],
      data: ['10.24.40.0/24', '10.24.41.0/24'],
    });
  });

  test('scales down role by role, so that every department and environment keeps growing in proportion', () => {
    const small = scalePlan(10);
    expect(small.workloads.map((w) => w.name)).toEqual(['mfg-dev-app', 'sales-dev-app', 'service-dev-app', 'iot-dev-app', 'common-dev-auth', 'mfg-test-app']);
    const thirty = scalePlan(30).workloads;
    expect(new Set(thirty.map((w) => w.segment)).size).toBe(20);
  });

  test('rejects an account count outside 5-120', () => {
    expect(() => scalePlan(4)).toThrow('accounts 4 is out of range; give an integer from 5 to 120 (4 core accounts plus at least one workload account).');
    expect(() => scalePlan(121)).toThrow('accounts 121 is out of range; give an integer from 5 to 120 (4 core accounts plus at least one workload account).');
  });

  test('synthesizes the smaller organizations of the benchmark with all 22 segments', () => {
    const small = createScaleApp({ accounts: 10 });
    expect(small.stacks).toHaveLength(17);
    expect(small.hub.hub.segments).toHaveLength(22);
    expect(small.routing.map((s) => s.stackName)).toEqual(['Scale-Routing-core', ...DEPARTMENTS.map((d) => `Scale-Routing-${d}`)]);
  });
});
