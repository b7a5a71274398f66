import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { IConstruct } from 'constructs';
import { createReferenceApp, ReferenceApp } from '../../examples/reference-deployment/app';
import { REFERENCE_DEFAULTS } from '../../examples/reference-deployment/config';
import { referenceSites, referenceVerification, ReferenceVerification } from '../../examples/reference-deployment/intent';
import { main as verifyMain } from '../../scripts/verify';
import { ITransitGatewayAttachment } from '../../src';
import {
  FlowProtocol, Hop, HopKind, NetworkEndpoint as E, PathDirection, PathResult, ReachabilityLayer, ReachabilityModel, Verdict,
  VerificationExitCode, VerificationReport, Violation, ViolationKind,
} from '../../src/reachability';

/**
 * The reachability verification of the REAL reference deployment (examples/reference-deployment, built by
 * createReferenceApp), against the intent of ARCHITECTURE.md (examples/reference-deployment/intent.ts): it verifies
 * clean, and each deliberate misconfiguration below, applied to the app after construction, is caught with the right
 * violation and the hop that proves it.
 *
 * Each case synthesizes the five stacks once, without cdk-nag and without the built-in CloudFormation schema check
 * (CDK_VALIDATION=false). Measured on a 2-core machine: the first synthesis ~2.2 s (module loading), then 0.5-1.1 s
 * each; ~15-30 ms to build the model; 0.7-1.9 s to verify the 6,062 flows (5,628 end to end, 434 at one layer).
 */

const TCP = FlowProtocol.TCP;
const UDP = FlowProtocol.UDP;
const FORWARD = PathDirection.FORWARD;
const RETURN = PathDirection.RETURN;
const C = REFERENCE_DEFAULTS;
const NET = 'GovHybrid-Network';

interface Run {
  readonly ref: ReferenceApp;
  readonly model: ReachabilityModel;
  readonly report: VerificationReport;
}

const previousValidation = process.env.CDK_VALIDATION;
beforeAll(() => {
  process.env.CDK_VALIDATION = 'false';
});
afterAll(() => {
  if (previousValidation === undefined) {
    delete process.env.CDK_VALIDATION;
  } else {
    process.env.CDK_VALIDATION = previousValidation;
  }
});

/** Builds the reference app, applies a misconfiguration, synthesizes it once and verifies the reference intent. */
function verifyReference(mutate?: (ref: ReferenceApp) => void,
  extendIntent?: (verification: ReferenceVerification) => void): Run {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-reference-'));
  try {
    const ref = createReferenceApp({ outdir, nag: false, env: {} });
    mutate?.(ref);
    ref.app.synth();
    const verification = referenceVerification(ref.config);
    extendIntent?.(verification);
    const model = ReachabilityModel.fromAssemblyDirectory(outdir, verification.modelOptions);
    return { ref, model, report: verification.intent.verify(model) };
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}

/** Each violated (kind, source → destination), once, sorted: what a mutation breaks, and nothing else. */
function violatedFlows(report: VerificationReport): string[] {
  return [...new Set(report.violations.map((v) => `${v.kind} ${v.source} → ${v.destination}`))].sort();
}

function violationOf(report: VerificationReport, source: string, destination: string, protocol: FlowProtocol, port: number,
  layer = ReachabilityLayer.END_TO_END): Violation {
  const v = report.violations.find((x) => x.source === source && x.destination === destination && x.protocol === protocol && x.port === port
    && x.layer === layer);
  if (!v) {
    throw new Error(`no ${layer} violation ${source} → ${destination} ${protocol}/${port}; violations:\n${report.violations.map((x) => x.message).join('\n')}`);
  }
  return v;
}

/** The path that proves a violation: for an open or one-way flow a path whose packets arrive, else a blocked path. */
function provingPath(v: Violation): PathResult {
  const found = v.kind === ViolationKind.DECLARED_FLOW_BLOCKED || v.kind === ViolationKind.DECLARED_FLOW_UNKNOWN
    ? v.paths.find((p) => p.verdict !== Verdict.ALLOWED)
    : v.paths.find((p) => p.forwardVerdict !== Verdict.BLOCKED);
  if (!found) {
    throw new Error(`violation without a proving path: ${v.message}`);
  }
  return found;
}

function hopOf(p: PathResult, direction: PathDirection, kind: HopKind, resource?: string): Hop {
  const found = p.hops.find((h) => h.direction === direction && h.kind === kind && (resource === undefined || h.resource === resource));
  if (!found) {
    throw new Error(`no ${direction} ${kind} hop${resource ? ` at ${resource}` : ''} in:\n${p.hops.map((h) => `${h.direction} ${h.kind} ${h.verdict} ${h.resource}: ${h.detail}`).join('\n')}`);
  }
  return found;
}

/** The transit gateway routes (static or blackhole) under `scope` with this destination. */
function tgwRoutes(scope: IConstruct, cidr: string): ec2.CfnTransitGatewayRoute[] {
  return scope.node.findAll().filter((c): c is ec2.CfnTransitGatewayRoute =>
    c instanceof ec2.CfnTransitGatewayRoute && c.destinationCidrBlock === cidr);
}

function removeConstruct(c: IConstruct): void {
  expect(c.node.scope!.node.tryRemoveChild(c.node.id)).toBe(true);
}

/** The spoke attachments NetworkSpokesStack looks up (construct IDs `Prod` and `Dev`). */
function spokeAttachment(ref: ReferenceApp, id: 'Prod' | 'Dev'): ITransitGatewayAttachment {
  return ref.networkSpokes.node.findChild(id) as unknown as ITransitGatewayAttachment;
}

/** A common shortcut: Prod's application subnets send the whole spoke summary (10.0.0.0/16) to the transit gateway. */
function routeSpokeSummaryFromProdApp(ref: ReferenceApp): void {
  ref.prod.attachment.addRoutes({ subnets: ref.prod.vpc.applicationSubnets, destinations: [ref.config.spokeSummaryCidr] });
}

/** Every open cell of the matrix: `source → destination protocol/port`. */
function openFlows(report: VerificationReport): string[] {
  const matrix = new Set(report.matrixEndpoints);
  return report.checks
    .filter((c) => matrix.has(c.source) && matrix.has(c.destination) && c.result.verdict !== Verdict.BLOCKED)
    .map((c) => `${c.source} → ${c.destination} ${c.protocol}/${c.port}`).sort();
}

describe('the reference intent is built from the typed configuration', () => {
  test('the sites are config.ts\'s user sites and DC addresses, each behind the VPN of its customer gateway', () => {
    expect(referenceSites(C)).toEqual([
      { name: 'users', cidrs: ['172.16.0.0/16'], customerGatewayAddress: '203.0.113.10' },
      { name: 'dc-backup-server', cidrs: ['10.0.200.10/32'], customerGatewayAddress: '203.0.113.20' },
      { name: 'dc-operators', cidrs: ['10.0.210.0/24'], customerGatewayAddress: '203.0.113.20' },
      { name: 'dc-dns', cidrs: ['10.0.250.10', '10.0.250.11'], customerGatewayAddress: '203.0.113.20' },
      { name: 'dc-network', cidrs: ['10.0.0.0/16'], customerGatewayAddress: '203.0.113.20' },
    ]);
  });

  test('another address plan gives other sites: nothing the configuration holds is repeated in the intent', () => {
    const config = {
      ...C,
      dataCentre: { ...C.dataCentre, backupServer: '10.0.201.20/32', vpn: { ...C.dataCentre.vpn, customerGatewayIp: '198.51.100.7' } },
    };
    expect(referenceSites(config).find((s) => s.name === 'dc-backup-server')).toEqual(
      { name: 'dc-backup-server', cidrs: ['10.0.201.20/32'], customerGatewayAddress: '198.51.100.7' });
    expect(referenceVerification(config).modelOptions.onPremisesSites).toEqual(referenceSites(config));
  });
});

describe('the reference deployment verifies clean against the intent of ARCHITECTURE.md', () => {
  let run: Run;
  beforeAll(() => {
    run = verifyReference();
  });

  test('the model spans the five stacks in four accounts and resolves every network value offline', () => {
    expect(run.model.summary).toMatchObject({
      stacks: 5,
      accounts: ['111111111111', '222222222222', '333333333333', '444444444444'],
      vpcs: 3,
      subnets: 28,
      transitGateways: 1,
      transitGatewayRouteTables: 4,
      attachments: 5,
      endpoints: 24,
      issues: 0,
    });
    expect(run.model.issues).toEqual([]);
    expect(run.model.summary.buildMillis).toBeLessThan(1000);
  });

  test('no violation: every declared flow works both ways on every path, nothing else is open', () => {
    expect(run.report.violations.map((v) => v.message)).toEqual([]);
    expect(run.report.passed).toBe(true);
    // 28 matrix endpoints × 27 destinations × 7 probes (tcp 22, 53, 443, 3306, 5432, 8080, udp 53) + 336 denied flows
    // outside the matrix (48 pairs), + 364 denied at the transit gateway layer (52 pairs) and 70 at the security-group
    // layer (10 pairs).
    expect(run.report.matrixEndpoints).toHaveLength(28);
    expect(run.report.checks).toHaveLength(28 * 27 * 7 + 336 + 364 + 70);
    const layers = (layer: ReachabilityLayer) => run.report.checks.filter((c) => c.layer === layer).length;
    expect([layers(ReachabilityLayer.END_TO_END), layers(ReachabilityLayer.TRANSIT_GATEWAY), layers(ReachabilityLayer.SECURITY_GROUPS)])
      .toEqual([28 * 27 * 7 + 336, 364, 70]);
    expect(run.report.render()).toMatch(/PASSED: no violation\.$/);
    // The route-level denies outside the matrix and the layer denies: every one holds on every probe.
    const outside = run.report.renderDeclaredFlowsOutsideMatrix().split('\n');
    expect(outside[0]).toBe('Declared flows outside the matrix and layer denies (110 groups, 770 flows):');
    expect(outside.slice(1).filter((l) => !/^ {2}deny( \[(transit-gateway|security-groups)\])? +\S+ → \S+ +tcp 22,53,443,3306,5432,8080 udp 53 {2}blocked \(/.test(l))).toEqual([]);
    expect(outside).toContainEqual(expect.stringMatching(/^ {2}deny +prod-vpc → dev-vpc +tcp .* blocked \(Prod and Dev never see each other\)$/));
    expect(outside).toContainEqual(expect.stringMatching(/^ {2}deny \[transit-gateway\] +prod-vpc → dev-vpc +tcp .* blocked \(Prod and Dev never see each other\)$/));
    expect(outside).toContainEqual(expect.stringMatching(/^ {2}deny \[security-groups\] +dc-network → prod-alb +tcp .* blocked \(the ALB security group admits only the user sites\)$/));
  });

  test('the open cells of the matrix are exactly the flows of the design', () => {
    const expected: string[] = [];
    const add = (s: string, d: string, port: number, protocol = 'tcp') => expected.push(`${s} → ${d} ${protocol}/${port}`);
    const networkEndpoints = ['ssm', 'ssmmessages', 'ec2messages', 'kms', 'logs'].map((n) => `network-${n}`);
    const spokeEndpoints = ['ecr-api', 'ecr-dkr', 'logs', 'secretsmanager'];
    for (const env of ['prod', 'dev']) {
      add('users', `${env}-alb`, 443);
      add('bastion', `${env}-app`, 8080);
      add('bastion', `${env}-db`, 5432);
      add(`${env}-alb`, `${env}-app`, 8080);
      add(`${env}-app`, `${env}-db`, 5432);
      spokeEndpoints.forEach((e) => add(`${env}-app`, `${env}-${e}`, 443));
    }
    add('dc-backup-server', 'prod-transfer', 22);
    networkEndpoints.forEach((e) => {
      add('dc-operators', e, 443);
      add('bastion', e, 443);
    });
    for (const protocol of ['tcp', 'udp']) {
      add('dc-dns', 'resolver-in', 53, protocol);
      add('resolver-out', 'dc-dns', 53, protocol);
    }
    add('prod-dump-task', 'prod-db', 5432);
    spokeEndpoints.forEach((e) => add('prod-dump-task', `prod-${e}`, 443));
    expect(openFlows(run.report)).toEqual(expected.sort());

    const matrix = run.report.renderMatrix().split('\n');
    expect(matrix[0]).toMatch(/^from \\ to +\| 1 \| 2 \| 3 \| 4 /);
    expect(matrix.find((l) => l.startsWith('2 dc-backup-server'))).toMatch(/^2 dc-backup-server +\| \. \| - \|( \. +\|){13} 22 \|( \. +\|)+ \.$/);
  });

  test('the backup server reaches the Transfer endpoint through rt-dc\'s Transfer /26 and is answered through rt-spoke\'s /32', () => {
    const result = run.model.query(E.onPremises('dc-backup-server'), E.resource('GovHybrid-Prod/Backup/Server'), TCP, 22);
    expect(result.verdict).toBe(Verdict.ALLOWED);
    // Two Transfer subnets × the two attachment AZs the transit gateway may use for traffic from on-premises.
    expect(result.paths).toHaveLength(4);
    for (const p of result.paths) {
      expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE).detail).toMatch(/^static 10\.0\.20\.0\/26 → GovHybrid-Prod\/Attachment /);
      expect(hopOf(p, FORWARD, HopKind.SECURITY_GROUP_INGRESS)).toMatchObject({
        resource: 'GovHybrid-Prod/Backup/EndpointSecurityGroup', detail: 'ingress rule tcp 22 from 10.0.200.10/32 allows tcp 22 from 10.0.200.10/32',
      });
      expect(hopOf(p, RETURN, HopKind.ROUTE_TABLE).detail).toMatch(/^10\.0\.200\.10\/32 → transit gateway /);
      expect(hopOf(p, RETURN, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
        resource: `${NET}/Hub/Segmentspokes`, detail: expect.stringMatching(/^static 10\.0\.200\.10\/32 → GovHybrid-Network\/Hub\/DcVpn /),
      });
    }
  });

  test('the DC summary overlaps Prod: only the backup server /32 of it reaches the Transfer endpoint, nothing else of Prod', () => {
    const transfer = run.model.query(E.onPremises('dc-network'), E.resource('GovHybrid-Prod/Backup/Server'), TCP, 22);
    expect(transfer.verdict).toBe(Verdict.PARTIAL);
    const allowed = transfer.paths.filter((p) => p.verdict === Verdict.ALLOWED);
    expect(allowed.length).toBeGreaterThan(0);
    expect([...new Set(allowed.flatMap((p) => p.sourceAddresses))]).toEqual(['10.0.200.10/32']);

    const app = run.model.query(E.onPremises('dc-network'), E.subnet('GovHybrid-Prod/Vpc/Resource/appSubnet1'), TCP, 8080);
    expect(app.verdict).toBe(Verdict.BLOCKED);
    expect(app.forwardVerdict).toBe(Verdict.BLOCKED);
    for (const p of app.paths) {
      expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
        resource: `${NET}/Hub/Segmentdc`, verdict: Verdict.BLOCKED, detail: 'no route for 10.0.10.0/24 in GovHybrid-Network/Hub/Segmentdc',
      });
    }
  });

  test('scripts/verify.ts reads a synthesized assembly, prints the matrix and exits 0; a missing assembly exits 2', () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), 'reach-reference-script-'));
    const out: string[] = [];
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    const stderr = jest.spyOn(process.stderr, 'write').mockImplementation((s: string | Uint8Array) => {
      out.push(String(s));
      return true;
    });
    try {
      createReferenceApp({ outdir, nag: false, env: {} }).app.synth();
      expect(verifyMain([outdir])).toBe(VerificationExitCode.PASSED);
      const text = out.join('');
      expect(text).toContain('\n1 users ');
      expect(text).toContain('Violations: none.');
      expect(text).toMatch(/verify: 6062 flows checked between 28 matrix endpoints \(40 endpoints in all\) in \d+ ms \(\d+ ms in all\); 0 violations, 0 model issues\.\n$/);
      out.length = 0;
      expect(verifyMain([path.join(outdir, 'missing')])).toBe(VerificationExitCode.ERROR);
      expect(out.join('')).toContain('holds no cloud assembly (manifest.json)');
    } finally {
      stdout.mockRestore();
      stderr.mockRestore();
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });
});

describe('mutations of the reference deployment: each misconfiguration is caught with the right violation and path', () => {
  test('1. the Network VPC propagated into the users\' route table: users reach the Network VPC (one way)', () => {
    const { report } = verifyReference((ref) => ref.network.segments.users.propagateFrom(ref.network.networkVpc));
    // End to end the replies are dropped; the transit gateway layer on its own carries users' packets to the Network VPC.
    expect(violatedFlows(report)).toEqual(['denied-layer-open users → network-vpc', 'undeclared-flow-one-way users → network-vpc']);
    expect(hopOf(provingPath(violationOf(report, 'users', 'network-vpc', TCP, 443, ReachabilityLayer.TRANSIT_GATEWAY)), FORWARD,
      HopKind.TRANSIT_GATEWAY_ROUTE_TABLE).detail).toMatch(/^propagated 192\.168\.0\.0\/16 → GovHybrid-Network\/OpsAccess\/TransitGatewayAttachment /);
    const v = violationOf(report, 'users', 'network-vpc', TCP, 443);
    expect(v.message).toMatch(/^users → network-vpc tcp\/443: denied flow delivers packets one-way/);
    const p = provingPath(v);
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentusers`,
      verdict: Verdict.ALLOWED,
      detail: expect.stringMatching(/^propagated 192\.168\.0\.0\/16 → GovHybrid-Network\/OpsAccess\/TransitGatewayAttachment \(GovHybrid-Network\/Hub\/Segmentusers\/PropagateNetworkVpc\)/),
    });
  });

  test('2. 0.0.0.0/0 on the Prod database security group: users\' packets reach the database', () => {
    const { report } = verifyReference((ref) =>
      ref.prod.workload.databaseSecurityGroup.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(5432), 'mistake'));
    // The security-group layer catches the DC too, which no route brings to the database.
    expect(violatedFlows(report)).toEqual(['denied-layer-open dc-network → prod-db', 'denied-layer-open users → prod-db', 'undeclared-flow-one-way users → prod-db']);
    expect(hopOf(provingPath(violationOf(report, 'dc-network', 'prod-db', TCP, 5432, ReachabilityLayer.SECURITY_GROUPS)), FORWARD,
      HopKind.SECURITY_GROUP_INGRESS).detail).toMatch(/^ingress rule tcp 5432 from 0\.0\.0\.0\/0 allows tcp 5432 from 10\.0\./);
    const p = provingPath(violationOf(report, 'users', 'prod-db', TCP, 5432));
    expect(hopOf(p, FORWARD, HopKind.SECURITY_GROUP_INGRESS)).toEqual(expect.objectContaining({
      resource: 'GovHybrid-Prod/App/DatabaseSecurityGroup',
      verdict: Verdict.ALLOWED,
      detail: 'ingress rule tcp 5432 from 0.0.0.0/0 allows tcp 5432 from 172.16.0.0/16',
    }));
    // Only the data subnets' missing route back to the users keeps it from working both ways.
    expect(hopOf(p, RETURN, HopKind.ROUTE_TABLE).verdict).toBe(Verdict.BLOCKED);
  });

  test('3. the backup server\'s return route removed from rt-spoke: the SFTP backup breaks at the transit gateway', () => {
    const { report } = verifyReference((ref) => {
      const routes = tgwRoutes(ref.network.segments.spokes, ref.config.dataCentre.backupServer);
      expect(routes).toHaveLength(1);
      removeConstruct(routes[0]);
    });
    expect(violatedFlows(report)).toEqual(['declared-flow-blocked dc-backup-server → prod-transfer']);
    const v = violationOf(report, 'dc-backup-server', 'prod-transfer', TCP, 22);
    expect(v.forwardVerdict).toBe(Verdict.ALLOWED);
    expect(hopOf(provingPath(v), RETURN, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`, verdict: Verdict.BLOCKED, detail: 'no route for 10.0.200.10/32 in GovHybrid-Network/Hub/Segmentspokes',
    });
  });

  test('4. the Transfer subnets\' VPC route to the backup server removed: replies stay in Prod', () => {
    const { report } = verifyReference((ref) => {
      const routes = ref.prod.attachment.routes.filter((r) => r.destinationCidrBlock === ref.config.dataCentre.backupServer);
      expect(routes).toHaveLength(2);
      routes.forEach(removeConstruct);
    });
    expect(violatedFlows(report)).toEqual(['declared-flow-blocked dc-backup-server → prod-transfer']);
    const p = provingPath(violationOf(report, 'dc-backup-server', 'prod-transfer', TCP, 22));
    expect(hopOf(p, RETURN, HopKind.ROUTE_TABLE)).toMatchObject({
      resource: expect.stringMatching(/^GovHybrid-Prod\/Vpc\/Resource\/transferSubnet[12]\/RouteTable$/),
      verdict: Verdict.BLOCKED,
      detail: expect.stringMatching(/^no route for 10\.0\.200\.10\/32 in /),
    });
  });

  test('5. a static DC summary route 10.0.0.0/16 in rt-spoke: Prod sends to the operators and DNS servers', () => {
    // Prod's application subnets send the spoke summary to the transit gateway, so that rt-spoke decides (see the
    // last describe block: without this the spoke's own route tables hold the boundary).
    const { report } = verifyReference((ref) => {
      routeSpokeSummaryFromProdApp(ref);
      ref.network.segments.spokes.addStaticRoute(ref.config.dataCentre.summaryCidr, ref.network.dcVpn);
    });
    expect(violatedFlows(report)).toEqual([
      ...['dev-vpc', 'prod-vpc'].flatMap((spoke) => ['dc-dns', 'dc-operators'].map((dc) => `denied-layer-open ${spoke} → ${dc}`)),
      'undeclared-flow-one-way prod-vpc → dc-dns', 'undeclared-flow-one-way prod-vpc → dc-operators',
    ]);
    const p = provingPath(violationOf(report, 'prod-vpc', 'dc-operators', TCP, 443));
    expect(p.sourceAddresses).toEqual(['10.0.10.0/24']);
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`,
      verdict: Verdict.ALLOWED,
      detail: expect.stringMatching(/^static 10\.0\.0\.0\/16 → GovHybrid-Network\/Hub\/DcVpn \(VPN attachment\) .* matches 10\.0\.210\.0\/24$/),
    });
  });

  test('6. Dev propagated into rt-spoke: Prod\'s packets reach Dev', () => {
    const { report } = verifyReference((ref) => {
      routeSpokeSummaryFromProdApp(ref);
      ref.network.segments.spokes.propagateFrom(spokeAttachment(ref, 'Dev'));
    });
    expect(violatedFlows(report)).toEqual(['denied-layer-open prod-vpc → dev-vpc', 'undeclared-flow-one-way prod-vpc → dev-vpc']);
    const p = provingPath(violationOf(report, 'prod-vpc', 'dev-vpc', TCP, 5432));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`,
      verdict: Verdict.ALLOWED,
      detail: expect.stringMatching(/^propagated 10\.0\.64\.0\/18 → GovHybrid-Dev\/Attachment /),
    });
  });

  test('7. the ALB security group opened to the DC summary, and rt-dc routing the ALB subnets: the DC reaches the ALB', () => {
    // Someone lets the DC test the application directly. (The security group change alone is held by rt-dc: see the
    // last describe block.)
    const { report } = verifyReference((ref) => {
      ref.prod.workload.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4(ref.config.dataCentre.summaryCidr), ec2.Port.tcp(443), 'mistake');
      ref.config.prod.alb.forEach((cidr) => ref.network.segments.dc.addStaticRoute(cidr, spokeAttachment(ref, 'Prod')));
    });
    expect(violatedFlows(report)).toEqual([
      ...['dc-backup-server', 'dc-operators', 'dc-dns'].map((dc) => `undeclared-flow-one-way ${dc} → prod-alb`),
      ...['dc-backup-server', 'dc-operators', 'dc-dns', 'dc-network'].flatMap((dc) => [1, 2].flatMap((i) => [
        `undeclared-flow-one-way ${dc} → prod-alb-subnet-${i}`, `denied-layer-open ${dc} → prod-alb-subnet-${i}`,
      ])),
      'denied-layer-open dc-network → prod-alb',
    ].sort());
    const p = provingPath(violationOf(report, 'dc-operators', 'prod-alb', TCP, 443));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentdc`, detail: expect.stringMatching(/^static 10\.0\.[12]\.0\/24 → GovHybrid-Prod\/Attachment /),
    });
    expect(hopOf(p, FORWARD, HopKind.SECURITY_GROUP_INGRESS)).toMatchObject({
      resource: 'GovHybrid-Prod/App/LoadBalancerSecurityGroup',
      verdict: Verdict.ALLOWED,
      detail: 'ingress rule tcp 443 from 10.0.0.0/16 allows tcp 443 from 10.0.210.0/24',
    });
    // The ALB subnets route only the user sites back to the transit gateway: the replies are dropped there.
    expect(hopOf(p, RETURN, HopKind.ROUTE_TABLE)).toMatchObject({ verdict: Verdict.BLOCKED, detail: expect.stringMatching(/^no route for 10\.0\.210\.0\/24 in /) });
  });

  test('8. the Transfer /26 route in rt-dc widened to the whole Prod VPC: the DC reaches every Prod subnet', () => {
    const { report } = verifyReference((ref) => {
      const routes = tgwRoutes(ref.networkSpokes, ref.config.prod.transferCidr);
      expect(routes).toHaveLength(1);
      routes[0].addPropertyOverride('DestinationCidrBlock', ref.config.prod.cidr);
    });
    const subnets = ['tgw-attach', 'alb', 'app', 'data'].flatMap((g) => [1, 2].map((i) => `prod-${g}-subnet-${i}`));
    expect(violatedFlows(report)).toEqual(['dc-backup-server', 'dc-operators', 'dc-dns', 'dc-network']
      .flatMap((dc) => subnets.flatMap((s) => [`undeclared-flow-one-way ${dc} → ${s}`, `denied-layer-open ${dc} → ${s}`])).sort());
    const p = provingPath(violationOf(report, 'dc-operators', 'prod-data-subnet-1', TCP, 5432));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentdc`,
      detail: expect.stringMatching(/^static 10\.0\.0\.0\/18 → GovHybrid-Prod\/Attachment \(GovHybrid-NetworkSpokes\/HubRouting\/Segmentdc\/Route10_0_20_0_26\) matches 10\.0\.30\.0\/24$/),
    });
  });

  test('9. the user VPN propagated into rt-dc: the DC sends to the user sites', () => {
    const { report } = verifyReference((ref) => ref.network.segments.dc.propagateFrom(ref.network.userVpn));
    expect(violatedFlows(report)).toEqual(['dc-backup-server', 'dc-dns', 'dc-network', 'dc-operators']
      .flatMap((dc) => [`denied-layer-open ${dc} → users`, `undeclared-flow-one-way ${dc} → users`]).sort());
    const p = provingPath(violationOf(report, 'dc-operators', 'users', TCP, 443));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentdc`, detail: expect.stringMatching(/^static 172\.16\.0\.0\/16 → GovHybrid-Network\/Hub\/UserVpn /),
    });
    expect(hopOf(p, RETURN, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({ resource: `${NET}/Hub/Segmentusers`, verdict: Verdict.BLOCKED });
  });

  test('10. a network ACL on the ALB subnets without the ephemeral ports: the users\' HTTPS replies are dropped', () => {
    const { report } = verifyReference((ref) => {
      const users = ec2.AclCidr.ipv4(ref.config.userSites.cidrs[0]);
      const vpc = ec2.AclCidr.ipv4(ref.config.prod.cidr);
      const acl = new ec2.NetworkAcl(ref.prod, 'AlbAcl', { vpc: ref.prod.vpc.vpc, subnetSelection: ref.prod.vpc.loadBalancerSubnets });
      acl.addEntry('HttpsFromUsers', { ruleNumber: 100, cidr: users, traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.INGRESS });
      acl.addEntry('FromVpc', { ruleNumber: 110, cidr: vpc, traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.INGRESS });
      acl.addEntry('ToVpc', { ruleNumber: 100, cidr: vpc, traffic: ec2.AclTraffic.allTraffic(), direction: ec2.TrafficDirection.EGRESS });
      // The mistake: replies go to the clients' ephemeral ports, not to 443.
      acl.addEntry('HttpsToUsers', { ruleNumber: 110, cidr: users, traffic: ec2.AclTraffic.tcpPort(443), direction: ec2.TrafficDirection.EGRESS });
    });
    expect(violatedFlows(report)).toEqual(['declared-flow-blocked users → prod-alb']);
    const v = violationOf(report, 'users', 'prod-alb', TCP, 443);
    expect(v.forwardVerdict).toBe(Verdict.ALLOWED);
    const p = provingPath(v);
    expect(hopOf(p, FORWARD, HopKind.NETWORK_ACL_INBOUND, 'GovHybrid-Prod/AlbAcl').verdict).toBe(Verdict.ALLOWED);
    expect(hopOf(p, RETURN, HopKind.NETWORK_ACL_OUTBOUND)).toMatchObject({
      resource: 'GovHybrid-Prod/AlbAcl',
      verdict: Verdict.BLOCKED,
      detail: expect.stringMatching(/^GovHybrid-Prod\/AlbAcl denies tcp 1024-65535 to 172\.16\.0\.0\/16 \(the final \* rule\)/),
    });
  });

  test('11. a blackhole removed from a hardened rt-user: users\' packets reach a Prod data subnet', () => {
    // The hardened variant: rt-user blackholes every application and data subnet of Prod and Dev, and the intent
    // denies users → those subnets at route level. It verifies clean; removing one blackhole is caught.
    const blackholed = [...C.prod.app, ...C.prod.data, ...C.dev.app, ...C.dev.data];
    const harden = (ref: ReferenceApp) => blackholed.forEach((cidr) => ref.network.segments.users.addBlackholeRoute(cidr));
    const denyUsersToProdSubnets = ({ intent }: ReferenceVerification) => ['app', 'data'].forEach((g) => [1, 2].forEach((i) =>
      intent.deny({ source: 'users', destination: `prod-${g}-subnet-${i}`, description: 'rt-user blackholes the application and data subnets' })));

    const hardened = verifyReference(harden, denyUsersToProdSubnets);
    expect(hardened.report.violations.map((v) => v.message)).toEqual([]);
    const held = hardened.model.query(E.onPremises('users'), E.subnet('GovHybrid-Prod/Vpc/Resource/dataSubnet1'), TCP, 5432);
    expect(hopOf(held.paths[0], FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentusers`, verdict: Verdict.BLOCKED, detail: 'static blackhole 10.0.30.0/24 (GovHybrid-Network/Hub/Segmentusers/Blackhole10_0_30_0_24) drops 10.0.30.0/24',
    });

    const { report } = verifyReference((ref) => {
      harden(ref);
      const routes = tgwRoutes(ref.network.segments.users, C.prod.data[0]);
      expect(routes).toHaveLength(1);
      removeConstruct(routes[0]);
    }, denyUsersToProdSubnets);
    expect(violatedFlows(report)).toEqual(['undeclared-flow-one-way users → prod-data-subnet-1']);
    const p = provingPath(violationOf(report, 'users', 'prod-data-subnet-1', TCP, 5432));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentusers`, verdict: Verdict.ALLOWED, detail: expect.stringMatching(/^propagated 10\.0\.0\.0\/18 → GovHybrid-Prod\/Attachment .* matches 10\.0\.30\.0\/24$/),
    });
  });

  test('12. the bastion security group opened to all UDP: the bastion talks DNS to the DC both ways', () => {
    const { report } = verifyReference((ref) =>
      ref.network.opsAccess.bastionSecurityGroup.addEgressRule(ec2.Peer.anyIpv4(), ec2.Port.allUdp(), 'mistake'));
    expect(violatedFlows(report)).toEqual(['undeclared-flow-open bastion → dc-dns', 'undeclared-flow-open bastion → dc-operators']);
    const v = violationOf(report, 'bastion', 'dc-dns', UDP, 53);
    expect(v.verdict).toBe(Verdict.ALLOWED);
    const p = provingPath(v);
    expect(hopOf(p, FORWARD, HopKind.SECURITY_GROUP_EGRESS)).toMatchObject({
      resource: `${NET}/OpsAccess/BastionSecurityGroup`, detail: 'egress rule udp (all ports) to 0.0.0.0/0 allows udp 53 to 10.0.250.10/32',
    });
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE).detail).toMatch(/^static 10\.0\.250\.10\/32 → GovHybrid-Network\/Hub\/DcVpn /);
    expect(hopOf(p, RETURN, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE).detail).toMatch(/^propagated 192\.168\.0\.0\/16 → /);
  });

  test('13. the operator terminals\' return route removed from rt-network: Session Manager from the DC breaks', () => {
    const { report } = verifyReference((ref) => {
      const routes = tgwRoutes(ref.network.segments.network, ref.config.dataCentre.operatorTerminals);
      expect(routes).toHaveLength(1);
      removeConstruct(routes[0]);
    });
    expect(violatedFlows(report)).toEqual(['ssm', 'ssmmessages', 'ec2messages', 'kms', 'logs']
      .map((e) => `declared-flow-blocked dc-operators → network-${e}`).sort());
    const p = provingPath(violationOf(report, 'dc-operators', 'network-ssmmessages', TCP, 443));
    expect(hopOf(p, RETURN, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentnetwork`, verdict: Verdict.BLOCKED, detail: 'no route for 10.0.210.0/24 in GovHybrid-Network/Hub/Segmentnetwork',
    });
  });

  test('14. the Prod application security group opened to the user sites: users\' packets reach the ECS tasks', () => {
    const { report } = verifyReference((ref) =>
      ref.prod.workload.serviceSecurityGroup.addIngressRule(ec2.Peer.ipv4(ref.config.userSites.cidrs[0]), ec2.Port.tcp(8080), 'mistake'));
    expect(violatedFlows(report)).toEqual(['denied-layer-open users → prod-app', 'undeclared-flow-one-way users → prod-app']);
    const p = provingPath(violationOf(report, 'users', 'prod-app', TCP, 8080));
    expect(hopOf(p, FORWARD, HopKind.SECURITY_GROUP_INGRESS)).toMatchObject({
      resource: 'GovHybrid-Prod/App/ServiceSecurityGroup', detail: 'ingress rule tcp 8080 from 172.16.0.0/16 allows tcp 8080 from 172.16.0.0/16',
    });
  });

  test('15. Dev\'s application subnets routing the backup server to the transit gateway: rt-spoke, shared with Prod, carries it', () => {
    const { report } = verifyReference((ref) =>
      ref.dev.attachment.addRoutes({ subnets: ref.dev.vpc.applicationSubnets, destinations: [ref.config.dataCentre.backupServer] }));
    // dc-network is the whole DC summary: its backup server /32 is reached too.
    expect(violatedFlows(report)).toEqual(['undeclared-flow-one-way dev-vpc → dc-backup-server', 'undeclared-flow-one-way dev-vpc → dc-network']);
    const p = provingPath(violationOf(report, 'dev-vpc', 'dc-backup-server', TCP, 22));
    expect(p.sourceAddresses).toEqual(['10.0.74.0/24']);
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`, detail: expect.stringMatching(/^static 10\.0\.200\.10\/32 → GovHybrid-Network\/Hub\/DcVpn /),
    });
  });
});

describe('single-layer changes that another layer still holds: caught at their own layer (defence in depth)', () => {
  /** The violations of one layer only. */
  const endToEnd = (report: VerificationReport) => report.violations.filter((v) => v.layer === ReachabilityLayer.END_TO_END);

  test('16. the ALB security group opened to the DC summary alone: no packet arrives (rt-dc has no route), the security-group layer is open', () => {
    const { report, model } = verifyReference((ref) =>
      ref.prod.workload.loadBalancerSecurityGroup.addIngressRule(ec2.Peer.ipv4(ref.config.dataCentre.summaryCidr), ec2.Port.tcp(443), 'mistake'));
    expect(endToEnd(report)).toEqual([]);
    expect(violatedFlows(report)).toEqual(['denied-layer-open dc-network → prod-alb']);
    const v = violationOf(report, 'dc-network', 'prod-alb', TCP, 443, ReachabilityLayer.SECURITY_GROUPS);
    expect(v.message).toMatch(/^dc-network → prod-alb tcp\/443 \[security-groups\]: the security-groups layer on its own lets this denied flow through \(defence in depth lost\)/);
    expect(hopOf(provingPath(v), FORWARD, HopKind.SECURITY_GROUP_INGRESS)).toMatchObject({
      resource: 'GovHybrid-Prod/App/LoadBalancerSecurityGroup',
      verdict: Verdict.ALLOWED,
      detail: expect.stringMatching(/^ingress rule tcp 443 from 10\.0\.0\.0\/16 allows tcp 443 from 10\.0\./),
    });
    // Other ports of the denied flow stay closed at the security groups.
    expect(report.violations.filter((x) => x.port !== 443)).toEqual([]);
    const result = model.query(E.onPremises('dc-operators'), E.resource('GovHybrid-Prod/App/LoadBalancer'), TCP, 443);
    expect(result.forwardVerdict).toBe(Verdict.BLOCKED);
    expect(hopOf(result.paths[0], FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentdc`, verdict: Verdict.BLOCKED, detail: expect.stringMatching(/^no route for 10\.0\.[12]\.0\/24 in /),
    });
  });

  test('17. Dev propagated into rt-spoke alone: the spokes\' VPC route tables still hold, the transit gateway layer is open', () => {
    const { report, model } = verifyReference((ref) => ref.network.segments.spokes.propagateFrom(spokeAttachment(ref, 'Dev')));
    expect(endToEnd(report)).toEqual([]);
    expect(violatedFlows(report)).toEqual(['denied-layer-open prod-vpc → dev-vpc']);
    const p = provingPath(violationOf(report, 'prod-vpc', 'dev-vpc', TCP, 5432, ReachabilityLayer.TRANSIT_GATEWAY));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`, verdict: Verdict.ALLOWED, detail: expect.stringMatching(/^propagated 10\.0\.64\.0\/18 → GovHybrid-Dev\/Attachment /),
    });
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ATTACHMENT, 'GovHybrid-Dev/Attachment')).toMatchObject({ verdict: Verdict.ALLOWED });
    // End to end, Prod's application subnets have no route to Dev.
    const result = model.query(E.vpc('GovHybrid-Prod/Vpc/Resource'), E.vpc('GovHybrid-Dev/Vpc/Resource'), TCP, 5432);
    expect(result.forwardVerdict).toBe(Verdict.BLOCKED);
    const app = result.paths.find((x) => x.sourceAddresses.includes('10.0.10.0/24'))!;
    expect(hopOf(app, FORWARD, HopKind.ROUTE_TABLE)).toMatchObject({
      resource: 'GovHybrid-Prod/Vpc/Resource/appSubnet1/RouteTable', verdict: Verdict.BLOCKED,
    });
  });

  test('18. a static DC summary route 10.0.0.0/16 in rt-spoke alone: the transit gateway would carry Prod and Dev to the operators and DNS servers', () => {
    const { report } = verifyReference((ref) => ref.network.segments.spokes.addStaticRoute(ref.config.dataCentre.summaryCidr, ref.network.dcVpn));
    expect(endToEnd(report)).toEqual([]);
    expect(violatedFlows(report)).toEqual(['dev-vpc', 'prod-vpc'].flatMap((spoke) => ['dc-dns', 'dc-operators'].map((dc) => `denied-layer-open ${spoke} → ${dc}`)));
    const p = provingPath(violationOf(report, 'dev-vpc', 'dc-operators', TCP, 22, ReachabilityLayer.TRANSIT_GATEWAY));
    expect(hopOf(p, FORWARD, HopKind.TRANSIT_GATEWAY_ROUTE_TABLE)).toMatchObject({
      resource: `${NET}/Hub/Segmentspokes`,
      verdict: Verdict.ALLOWED,
      detail: expect.stringMatching(/^static 10\.0\.0\.0\/16 → GovHybrid-Network\/Hub\/DcVpn \(VPN attachment\) .* matches 10\.0\.210\.0\/24$/),
    });
    expect(hopOf(p, FORWARD, HopKind.VPN, 'GovHybrid-Network/Hub/DcVpn (VPN attachment)')).toMatchObject({ verdict: Verdict.ALLOWED, detail: expect.stringMatching(/towards dc-operators/) });
  });

  test('the layer queries on the clean reference: the transit gateway keeps Prod from Dev, the ALB admits only the user sites', () => {
    const { model } = verifyReference();
    const tgw = model.queryLayer(E.vpc('GovHybrid-Prod/Vpc/Resource'), E.vpc('GovHybrid-Dev/Vpc/Resource'), TCP, 5432, ReachabilityLayer.TRANSIT_GATEWAY);
    expect([tgw.layer, tgw.verdict, tgw.forwardVerdict]).toEqual([ReachabilityLayer.TRANSIT_GATEWAY, Verdict.BLOCKED, Verdict.BLOCKED]);
    expect(tgw.reason).toMatch(/^no route for 10\.0\.64\.0\/2\d in GovHybrid-Network\/Hub\/Segmentspokes$/);
    const users = model.queryLayer(E.onPremises('users'), E.resource('GovHybrid-Prod/App/LoadBalancer'), TCP, 443, ReachabilityLayer.SECURITY_GROUPS);
    expect([users.verdict, users.paths.every((x) => x.hops.every((h) => h.direction === PathDirection.FORWARD))]).toEqual([Verdict.ALLOWED, true]);
    expect(users.reason).toMatch(/^the security-groups layer on its own lets it through on all \d+ paths: ingress rule tcp 443 from 172\.16\.0\.0\/16 allows/);
    const transit = model.queryLayer(E.onPremises('dc-backup-server'), E.resource('GovHybrid-Prod/Backup/Server'), TCP, 22, ReachabilityLayer.TRANSIT_GATEWAY);
    expect(transit.verdict).toBe(Verdict.ALLOWED);
    expect(() => model.queryLayer(E.onPremises('users'), E.vpc('GovHybrid-Prod/Vpc/Resource'), TCP, 443, ReachabilityLayer.SECURITY_GROUPS)).toThrow(
      'Invalid ReachabilityModel query (1 problem):\n  - `destination` "vpc GovHybrid-Prod/Vpc/Resource" has no security groups of its own; the security-group layer applies to NetworkEndpoint.resource destinations.');
  });
});
