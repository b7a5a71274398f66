import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { buildFixture, fixtureIntent, MODEL_OPTIONS } from './fixture';
import { Scenario } from './scenario';
import { getAtt, writeAssembly } from './templates';
import {
  FlowExpectation, FlowProtocol, NetworkEndpoint as E, OneWayPolicy, ReachabilityIntent, ReachabilityIntentProps, ReachabilityLayer,
  ReachabilityVerifier, VerificationExitCode, ViolationKind,
} from '../../src/reachability';

function smallIntent(props: ReachabilityIntentProps = {}): ReachabilityIntent {
  const intent = new ReachabilityIntent({ probeTcpPorts: [22, 443], probeUdpPorts: [], ...props });
  intent.addEndpoint('dc-host', E.onPremises('dc-host'));
  intent.addEndpoint('users', E.onPremises('users'));
  intent.addEndpoint('server', E.resource('Net/Server'));
  return intent;
}

describe('declaring intent', () => {
  test('bad endpoint names are rejected', () => {
    const intent = new ReachabilityIntent();
    intent.addEndpoint('users', E.onPremises('users'));
    expect(() => intent.addEndpoint('users', E.onPremises('users'))).toThrow([
      'Invalid ReachabilityIntent endpoint (1 problem):',
      '  - `name` users is already an endpoint; give every endpoint its own name.',
    ].join('\n'));
    expect(() => intent.addEndpoint('prod alb', E.resource('Prod/Alb'))).toThrow(
      '`name` "prod alb" is not an endpoint name; use letters, digits, dots, hyphens and underscores, e.g. prod-alb.');
  });

  test('every problem of a flow is reported in one error', () => {
    const intent = new ReachabilityIntent();
    intent.addEndpoint('users', E.onPremises('users'));
    expect(() => intent.allow({ source: 'users', destination: 'alb', ports: [443, 0, 70000] })).toThrow([
      'Invalid ReachabilityIntent flow (3 problems):',
      '  - `destination` alb is not an endpoint; add it with addEndpoint first (endpoints: users).',
      '  - `ports[1]` 0 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `ports[2]` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
    ].join('\n'));
    expect(() => intent.allow({ source: 'users', destination: 'users', ports: [] })).toThrow([
      'Invalid ReachabilityIntent flow (2 problems):',
      '  - `destination` users is the source itself; a flow connects two endpoints.',
      '  - `ports` [] is empty; give at least one port, e.g. [443].',
    ].join('\n'));
    expect(() => intent.deny({ source: 'nobody', destination: 'users', protocol: FlowProtocol.ICMP, ports: [300] })).toThrow([
      'Invalid ReachabilityIntent flow (2 problems):',
      '  - `source` nobody is not an endpoint; add it with addEndpoint first (endpoints: users).',
      '  - `ports[0]` 300 is not an ICMP type; use an integer from 0 to 255.',
    ].join('\n'));
    expect(() => new ReachabilityIntent({ probeTcpPorts: [0], probeUdpPorts: [65536] })).toThrow([
      'Invalid ReachabilityIntent props (2 problems):',
      '  - `probeTcpPorts[0]` 0 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `probeUdpPorts[0]` 65536 is not a TCP/UDP port; use an integer from 1 to 65535.',
    ].join('\n'));
  });

  test('a deny at the security-group layer needs a destination with security groups', () => {
    const intent = smallIntent();
    intent.addEndpoint('net-vpc', E.vpc('Net/Vpc'), { includeInMatrix: false });
    expect(() => intent.deny({ source: 'users', destination: 'net-vpc', layer: ReachabilityLayer.SECURITY_GROUPS })).toThrow([
      'Invalid ReachabilityIntent flow (1 problem):',
      '  - `destination` net-vpc has no security groups of its own; a deny at the security-group layer needs a NetworkEndpoint.resource destination.',
    ].join('\n'));
    expect(() => intent.deny({ source: 'users', destination: 'server', layer: ReachabilityLayer.SECURITY_GROUPS })).not.toThrow();
    expect(() => intent.deny({ source: 'users', destination: 'net-vpc', layer: ReachabilityLayer.TRANSIT_GATEWAY })).not.toThrow();
  });

  test('verify reports endpoints that select nothing and flows both allowed and denied, in one error', () => {
    const intent = smallIntent();
    intent.addEndpoint('ghost', E.resource('Net/Ghost'));
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
    intent.deny({ source: 'dc-host', destination: 'server', protocol: FlowProtocol.TCP, ports: [443] });
    expect(() => intent.verify(new Scenario().model())).toThrow([
      'Invalid ReachabilityIntent (2 problems):',
      '  - `endpoints.ghost` resource Net/Ghost selects nothing in the cloud assembly; use a construct path such as Net/Server.',
      '  - dc-host → server tcp/443 is both allowed and denied; keep one.',
    ].join('\n'));
  });
});

describe('verification', () => {
  test('declared flows must be allowed; everything else between matrix endpoints must be blocked', () => {
    const intent = smallIntent();
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443], description: 'backups' });
    const report = intent.verify(new Scenario().model());
    // users → server 443 is open but undeclared.
    expect(report.violations.map((v) => [v.kind, v.message])).toEqual([
      [ViolationKind.UNDECLARED_FLOW_OPEN, 'users → server tcp/443: undeclared flow is open: allowed both ways on its path'],
    ]);
    expect(report.checks).toHaveLength(12);
    expect(report.checks.find((c) => c.source === 'dc-host' && c.destination === 'server' && c.port === 443)).toMatchObject({
      expectation: FlowExpectation.ALLOWED, description: 'backups', violation: undefined,
    });
    expect(report.renderMatrix()).toBe([
      'from \\ to | 1 | 2 | 3',
      '----------+---+---+-----',
      '1 dc-host | - | . | 443',
      '2 users   | . | - | !443',
      '3 server  | . | . | -',
      '',
      'Cells list the destination ports that are not blocked: 443 tcp, u53 udp, i8 icmp type.',
      '  443 allowed both ways   443~ partly allowed   443? unknown   443> one-way (delivered, replies dropped)',
      '  443x declared but blocked   ! violation   . nothing open',
    ].join('\n'));
    expect(report.renderViolations().split('\n').slice(0, 3)).toEqual([
      'Violations (1):',
      '1. [undeclared-flow-open] users → server tcp/443: undeclared flow is open: allowed both ways on its path',
      '   path 172.16.0.0/16 → 10.0.1.0/24: allowed (forward allowed)',
    ]);
    expect(report.render()).toMatch(/\nFAILED: 1 violation\.$/);
  });

  test('a declared flow whose reply is dropped shows as one-way (>) in the matrix, with the hop that drops it', () => {
    const s = new Scenario();
    s.remove('HostReturn');
    const intent = smallIntent({ oneWayFlows: OneWayPolicy.IGNORE });
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
    intent.allow({ source: 'users', destination: 'server', ports: [443] });
    const report = intent.verify(s.model());
    expect(report.violations.map((v) => v.message)).toEqual([
      'dc-host → server tcp/443: declared flow is blocked: return path: no route for 10.0.200.10/32 in Net/RtApp (packets are delivered one way)',
    ]);
    expect(report.renderMatrix().split('\n')[2]).toBe('1 dc-host | - | . | !443>');
    expect(report.renderViolations()).toContain('return  transit-gateway-route-table blocked Net/RtApp: no route for 10.0.200.10/32 in Net/RtApp');
  });

  describe('one-way flows', () => {
    test('by default, packets delivered into AWS without a way back are a violation', () => {
      const s = new Scenario();
      s.remove('AppToUsers');
      const intent = smallIntent();
      intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
      const report = intent.verify(s.model());
      expect(report.violations.map((v) => v.message)).toEqual([
        'users → server tcp/443: undeclared flow delivers packets one-way (replies are dropped): return path: no route for 172.16.0.0/16 in Net/RtAppSubnets (packets are delivered one way)',
      ]);
      expect(report.renderMatrix().split('\n')[3]).toBe('2 users   | . | - | !443>');
    });

    test('towards on-premises sites, VIOLATION_UNLESS_TO_ON_PREMISES (the default) lets one-way flows pass, VIOLATION reports them, IGNORE never does', () => {
      const s = new Scenario();
      delete s.t.resources.ServerSg.Properties.SecurityGroupEgress;
      s.remove('AppPropagation');
      const model = s.model();
      const oneWay = (policy?: OneWayPolicy) => smallIntent(policy ? { oneWayFlows: policy } : {}).verify(model).violations
        .filter((v) => v.kind === ViolationKind.UNDECLARED_FLOW_ONE_WAY).map((v) => `${v.source} → ${v.destination} ${v.port}`);
      expect(oneWay()).toEqual([]);
      expect(oneWay(OneWayPolicy.VIOLATION)).toEqual(['server → dc-host 22', 'server → dc-host 443', 'server → users 22', 'server → users 443']);
      expect(oneWay(OneWayPolicy.IGNORE)).toEqual([]);
    });

    test('an explicitly denied flow is a violation as soon as packets arrive, whatever the policy', () => {
      const s = new Scenario();
      delete s.t.resources.ServerSg.Properties.SecurityGroupEgress;
      s.remove('AppPropagation');
      const intent = smallIntent({ oneWayFlows: OneWayPolicy.IGNORE });
      intent.deny({ source: 'server', destination: 'dc-host', protocol: FlowProtocol.TCP, ports: [443], description: 'the server never calls the DC' });
      expect(intent.verify(s.model()).violations.map((v) => [v.message, v.description])).toEqual([[
        'server → dc-host tcp/443: denied flow delivers packets one-way (replies are dropped): return path: no route for 10.0.1.0/24 in Net/RtVpn (packets are delivered one way)',
        'the server never calls the DC',
      ]]);
    });
  });

  test('flows that depend on an unknown value are violations either way', () => {
    const s = new Scenario();
    s.remove('AppToDc');
    s.t.add('Thing', 'Custom::Thing', { ServiceToken: 'x' });
    s.vpcRoute('AppToDc', 'RtAppSubnets', '10.0.0.0/16', { TransitGatewayId: getAtt('Thing', 'TgwId') });
    const intent = smallIntent();
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
    const kinds = intent.verify(s.model()).violations.map((v) => `${v.kind} ${v.source} → ${v.destination} ${v.port}`);
    // users → server does not use the unknown route (replies to 172.16.0.0/16 take AppToUsers), so it stays decided: open.
    expect(kinds).toEqual(['declared-flow-unknown dc-host → server 443', 'undeclared-flow-open users → server 443']);
  });

  test('non-matrix endpoints are checked only by the flows that name them', () => {
    const intent = smallIntent();
    intent.addEndpoint('vpc', E.vpc('Net/Vpc'), { includeInMatrix: false });
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
    intent.allow({ source: 'users', destination: 'server', ports: [443] });
    intent.deny({ source: 'users', destination: 'vpc', description: 'route-level: users see only the server' });
    const report = intent.verify(new Scenario().model());
    expect(report.matrixEndpoints).toEqual(['dc-host', 'users', 'server']);
    // Users' packets reach every subnet of the VPC; replies return from the App subnets, not from the attachment subnets.
    expect(report.violations.map((v) => v.message)).toEqual([
      'users → vpc tcp/22: denied flow is open: 2 of 6 paths allowed; return path: no route for 172.16.0.0/16 in Net/RtTgwSubnets',
      'users → vpc tcp/443: denied flow is open: 2 of 6 paths allowed; return path: no route for 172.16.0.0/16 in Net/RtTgwSubnets',
    ]);
    expect(report.violations[0].description).toBe('route-level: users see only the server');
  });

  test('the report lists the declared flows outside the matrix, one line per pair, with their ports and status', () => {
    const intent = smallIntent();
    intent.addEndpoint('vpc', E.vpc('Net/Vpc'), { includeInMatrix: false });
    intent.addEndpoint('app-a', E.subnet('Net/AppA'), { includeInMatrix: false });
    intent.allow({ source: 'dc-host', destination: 'server', ports: [443] });
    intent.allow({ source: 'users', destination: 'server', ports: [443] });
    intent.allow({ source: 'users', destination: 'app-a', ports: [443, 8443], description: 'route-level' });
    intent.deny({ source: 'users', destination: 'vpc', protocol: FlowProtocol.TCP, ports: [22] });
    intent.deny({ source: 'vpc', destination: 'users', description: 'no unsolicited packets' });
    const report = intent.verify(new Scenario().model());
    expect(report.renderDeclaredFlowsOutsideMatrix()).toBe([
      'Declared flows outside the matrix and layer denies (3 groups, 5 flows):',
      '  allow  users → app-a  tcp 443,8443  allowed (route-level)',
      '  deny   users → vpc    tcp 22        VIOLATED on 1 of 1',
      '  deny   vpc → users    tcp 22,443    VIOLATED on 2 of 2 (no unsolicited packets)',
    ].join('\n'));
    expect(report.render()).toContain('\n\nDeclared flows outside the matrix and layer denies (3 groups, 5 flows):\n');
    expect(smallIntent().verify(new Scenario().model()).renderDeclaredFlowsOutsideMatrix()).toBe('');
  });
});

describe('ReachabilityVerifier', () => {
  let dir: string;

  beforeAll(() => {
    dir = buildFixture().app.synth().directory;
  });

  test('exit code 0 and the rendered report when the fixture verifies clean', () => {
    const outcome = ReachabilityVerifier.evaluate(dir, fixtureIntent(), MODEL_OPTIONS);
    expect(outcome.exitCode).toBe(VerificationExitCode.PASSED);
    expect(outcome.output).toMatch(/^Reachability verification: 5 stacks in accounts 111111111111, 222222222222, 333333333333, 444444444444; /);
    expect(outcome.output).toContain('Model issues: none (every network value resolved offline).');
    expect(outcome.report?.passed).toBe(true);
  });

  test('exit code 1 with violations; run prints the report to stdout', () => {
    const intent = fixtureIntent();
    intent.deny({ source: 'users', destination: 'prod-vpc', protocol: FlowProtocol.TCP, ports: [443] });
    const outcome = ReachabilityVerifier.evaluate(dir, intent, MODEL_OPTIONS);
    expect(outcome.exitCode).toBe(VerificationExitCode.VIOLATIONS);

    const write = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const intent2 = new ReachabilityIntent({ probeTcpPorts: [443], probeUdpPorts: [] });
      intent2.addEndpoint('users', E.onPremises('users'));
      intent2.addEndpoint('alb', E.resource('Prod/Alb'));
      expect(ReachabilityVerifier.run(dir, intent2, MODEL_OPTIONS)).toBe(1);
      expect(String(write.mock.calls[0][0])).toContain('1. [undeclared-flow-open] users → alb tcp/443: undeclared flow is open');
    } finally {
      write.mockRestore();
    }
  });

  test('exit code 2 when the verification cannot run, with the reason', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'no-assembly-'));
    expect(ReachabilityVerifier.evaluate(empty, fixtureIntent(), MODEL_OPTIONS)).toEqual({
      exitCode: VerificationExitCode.ERROR,
      output: `Reachability verification could not run: ${empty} is not a cloud assembly: it has no manifest.json. Synthesize the app first (cdk synth, or app.synth()).`,
    });
    const write = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    try {
      expect(ReachabilityVerifier.run(writeAssembly(new Scenario().t), fixtureIntent(), {})).toBe(2);
      expect(String(write.mock.calls[0][0])).toMatch(/^Reachability verification could not run: Invalid ReachabilityIntent \(\d+ problems\):\n/);
    } finally {
      write.mockRestore();
    }
  });
});
