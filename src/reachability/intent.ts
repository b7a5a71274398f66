import { EndpointKind, NetworkEndpoint } from './endpoint';
import { ReachabilityModel } from './model';
import { PropsValidator } from '../private/validation';
import { throwIfInvalid } from './private/problems';
import { renderIssues, renderMatrix, renderOutsideMatrix, renderViolations } from './private/render';
import { FlowProtocol, ModelIssue, ModelSummary, PathResult, QueryResult, ReachabilityLayer, Verdict } from './types';

/** How `verify` treats undeclared flows whose packets are delivered but whose replies are dropped. */
export enum OneWayPolicy {
  /** Every one-way flow is a violation: the boundary must not rest on a missing return route. */
  VIOLATION = 'violation',
  /**
   * One-way flows are violations, except towards on-premises sites: a route that carries replies to an on-premises
   * host (the backup server's /32 in the spokes' table) necessarily carries unsolicited packets too, and the
   * on-premises firewall, which the model does not see, is the boundary there. Use `deny` to forbid such a flow
   * explicitly.
   */
  VIOLATION_UNLESS_TO_ON_PREMISES = 'violation-unless-to-on-premises',
  /** One-way flows are shown in the matrix but are not violations. */
  IGNORE = 'ignore',
}

/** Props of `ReachabilityIntent`. */
export interface ReachabilityIntentProps {
  /**
   * TCP ports probed between every pair of matrix endpoints, in addition to the ports of the declared flows.
   * @default [22, 53, 443, 3306, 5432, 8080]
   */
  readonly probeTcpPorts?: number[];
  /**
   * UDP ports probed between every pair of matrix endpoints, in addition to the ports of the declared flows.
   * @default [53]
   */
  readonly probeUdpPorts?: number[];
  /**
   * How undeclared one-way flows are treated (explicitly denied flows are always violations when packets arrive).
   * @default OneWayPolicy.VIOLATION_UNLESS_TO_ON_PREMISES
   */
  readonly oneWayFlows?: OneWayPolicy;
}

/** Options of `ReachabilityIntent.addEndpoint`. */
export interface IntentEndpointOptions {
  /**
   * Whether the endpoint is part of the matrix: every pair of matrix endpoints is probed, and every flow between them
   * that is not declared must be blocked. Endpoints outside the matrix (typically whole VPCs) are checked only by
   * the `allow` and `deny` flows that name them.
   * @default true
   */
  readonly includeInMatrix?: boolean;
}

/** A flow that must work, both ways, on every path. */
export interface AllowedFlow {
  /** The name of the source endpoint (`addEndpoint`). */
  readonly source: string;
  /** The name of the destination endpoint. */
  readonly destination: string;
  /**
   * The protocol.
   * @default FlowProtocol.TCP
   */
  readonly protocol?: FlowProtocol;
  /** Destination ports (TCP/UDP, 1-65535) or ICMP types (0-255). */
  readonly ports: number[];
  /**
   * Why the flow exists, shown in the report.
   * @default - none
   */
  readonly description?: string;
}

/** A flow that must be blocked: no packet may arrive, even one-way. */
export interface DeniedFlow {
  /** The name of the source endpoint. */
  readonly source: string;
  /** The name of the destination endpoint. */
  readonly destination: string;
  /**
   * The protocol.
   * @default - TCP and UDP, each with its probe ports (or `ports`)
   */
  readonly protocol?: FlowProtocol;
  /**
   * Destination ports (TCP/UDP) or ICMP types.
   * @default - the probe ports of the protocol (for ICMP: type 8, echo request)
   */
  readonly ports?: number[];
  /**
   * Why the flow is forbidden, shown in the report.
   * @default - none
   */
  readonly description?: string;
  /**
   * Which layer must block the flow. `END_TO_END`: no packet may arrive, whatever layer stops it. `TRANSIT_GATEWAY`:
   * the transit gateway's route tables alone must not carry it (segmentation that must not rest on the VPC route
   * tables). `SECURITY_GROUPS`: the destination's security groups alone must refuse it (the destination must be a
   * `NetworkEndpoint.resource`). Declare the same flow once per layer to require defence in depth.
   * @default ReachabilityLayer.END_TO_END
   */
  readonly layer?: ReachabilityLayer;
}

/** What the intent expects of a flow. */
export enum FlowExpectation {
  /** Declared with `allow`: must be ALLOWED. */
  ALLOWED = 'allowed',
  /** Undeclared between matrix endpoints: must not be open. */
  BLOCKED = 'blocked',
  /** Declared with `deny`: no packet may arrive, even one-way. */
  DENIED = 'denied',
}

/** Why a flow violates the intent. */
export enum ViolationKind {
  /** A declared flow is blocked or only partly allowed. */
  DECLARED_FLOW_BLOCKED = 'declared-flow-blocked',
  /** A declared flow depends on something not known offline. */
  DECLARED_FLOW_UNKNOWN = 'declared-flow-unknown',
  /** An undeclared (or denied) flow works both ways on at least one path. */
  UNDECLARED_FLOW_OPEN = 'undeclared-flow-open',
  /** An undeclared (or denied) flow delivers packets although replies are dropped. */
  UNDECLARED_FLOW_ONE_WAY = 'undeclared-flow-one-way',
  /** Whether an undeclared (or denied) flow is blocked depends on something not known offline. */
  UNDECLARED_FLOW_UNKNOWN = 'undeclared-flow-unknown',
  /**
   * A flow denied at one layer (`DeniedFlow.layer`) gets through that layer on its own: defence in depth is lost,
   * even when another layer still blocks the packets.
   */
  DENIED_LAYER_OPEN = 'denied-layer-open',
}

/** One evaluated flow of the verification. */
export interface FlowCheck {
  /** Source endpoint name. */
  readonly source: string;
  /** Destination endpoint name. */
  readonly destination: string;
  /** Protocol. */
  readonly protocol: FlowProtocol;
  /** Port or ICMP type. */
  readonly port: number;
  /** What the intent expects. */
  readonly expectation: FlowExpectation;
  /**
   * The description of the declared flow.
   * @default - none
   */
  readonly description?: string;
  /** The layer evaluated: the whole path, or one layer on its own (a denied flow's `layer`). */
  readonly layer: ReachabilityLayer;
  /** The query result. */
  readonly result: QueryResult;
  /**
   * The violation, if the flow violates the intent.
   * @default - none
   */
  readonly violation?: ViolationKind;
}

/** A flow that violates the intent, with its paths. */
export interface Violation {
  /** What is wrong. */
  readonly kind: ViolationKind;
  /** Source endpoint name. */
  readonly source: string;
  /** Destination endpoint name. */
  readonly destination: string;
  /** Protocol. */
  readonly protocol: FlowProtocol;
  /** Port or ICMP type. */
  readonly port: number;
  /** The round-trip verdict. */
  readonly verdict: Verdict;
  /** The forward verdict. */
  readonly forwardVerdict: Verdict;
  /** Why, in words, naming the route table, route or rule that decided. */
  readonly reason: string;
  /** The paths, hop by hop. */
  readonly paths: PathResult[];
  /** The layer evaluated. */
  readonly layer: ReachabilityLayer;
  /**
   * The description of the declared flow.
   * @default - none
   */
  readonly description?: string;
  /** One line: `users → prod-db tcp/5432: undeclared flow delivers packets one-way: …`. */
  readonly message: string;
}

const DEFAULT_TCP_PROBES = [22, 53, 443, 3306, 5432, 8080];
const DEFAULT_UDP_PROBES = [53];

interface EndpointEntry {
  readonly name: string;
  readonly endpoint: NetworkEndpoint;
  readonly matrix: boolean;
}

/**
 * The access boundaries you intend: named endpoints, the flows that must work (`allow`), the flows that must never
 * deliver a packet (`deny`), and "nothing else" between the matrix endpoints. `verify` evaluates every pair of matrix
 * endpoints on every probed port and every declared flow, and lists each declared flow that is blocked or unknown
 * and each undeclared flow that is open, with its path.
 *
 * @example
 * declare const model: ReachabilityModel;
 * const intent = new ReachabilityIntent();
 * intent.addEndpoint('users', NetworkEndpoint.onPremises('users'));
 * intent.addEndpoint('prod-alb', NetworkEndpoint.resource('Prod/Workload/Alb'));
 * intent.allow({ source: 'users', destination: 'prod-alb', ports: [443] });
 * const report = intent.verify(model);
 */
export class ReachabilityIntent {
  private readonly endpoints: EndpointEntry[] = [];
  private readonly allowed: AllowedFlow[] = [];
  private readonly denied: DeniedFlow[] = [];
  private readonly tcpProbes: number[];
  private readonly udpProbes: number[];
  private readonly oneWay: OneWayPolicy;

  constructor(props: ReachabilityIntentProps = {}) {
    const v = new PropsValidator('ReachabilityIntent');
    (props.probeTcpPorts ?? []).forEach((p, i) => v.port(`probeTcpPorts[${i}]`, p));
    (props.probeUdpPorts ?? []).forEach((p, i) => v.port(`probeUdpPorts[${i}]`, p));
    throwIfInvalid(v, 'ReachabilityIntent props');
    this.tcpProbes = props.probeTcpPorts ?? DEFAULT_TCP_PROBES;
    this.udpProbes = props.probeUdpPorts ?? DEFAULT_UDP_PROBES;
    this.oneWay = props.oneWayFlows ?? OneWayPolicy.VIOLATION_UNLESS_TO_ON_PREMISES;
  }

  /**
   * Names an endpoint. Names are what flows and the report use.
   * @throws when the name is empty or already used
   */
  public addEndpoint(name: string, endpoint: NetworkEndpoint, options: IntentEndpointOptions = {}): void {
    const v = new PropsValidator('ReachabilityIntent');
    v.check(/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name), 'name', name, 'is not an endpoint name; use letters, digits, dots, hyphens and underscores, e.g. prod-alb.');
    v.check(!this.endpoints.some((e) => e.name === name), 'name', name, 'is already an endpoint; give every endpoint its own name.');
    throwIfInvalid(v, 'ReachabilityIntent endpoint');
    this.endpoints.push({ name, endpoint, matrix: options.includeInMatrix ?? true });
  }

  /**
   * Declares a flow that must work both ways on every path.
   * @throws when an endpoint name is unknown or a port is out of range (one error lists every problem)
   */
  public allow(flow: AllowedFlow): void {
    const v = new PropsValidator('ReachabilityIntent');
    this.checkFlow(v, flow.source, flow.destination, flow.protocol ?? FlowProtocol.TCP, flow.ports, true);
    throwIfInvalid(v, 'ReachabilityIntent flow');
    this.allowed.push(flow);
  }

  /**
   * Declares a flow that must deliver no packet at all, even one-way; use it for route-level segmentation between
   * VPCs (`NetworkEndpoint.vpc`) and towards on-premises sites. With `layer`, one defence layer must block it on its own.
   * @throws when an endpoint name is unknown, a port is out of range, or a security-group-layer deny names a
   * destination without security groups (one error lists every problem)
   */
  public deny(flow: DeniedFlow): void {
    const v = new PropsValidator('ReachabilityIntent');
    this.checkFlow(v, flow.source, flow.destination, flow.protocol ?? FlowProtocol.TCP, flow.ports ?? [], false);
    const destination = this.endpoints.find((e) => e.name === flow.destination);
    if (flow.layer === ReachabilityLayer.SECURITY_GROUPS && destination && destination.endpoint.kind !== EndpointKind.RESOURCE) {
      v.report('destination', flow.destination, 'has no security groups of its own; a deny at the security-group layer needs a ' +
        'NetworkEndpoint.resource destination.');
    }
    throwIfInvalid(v, 'ReachabilityIntent flow');
    this.denied.push(flow);
  }

  /**
   * Evaluates the intent against a model.
   * @throws when an endpoint selects nothing in the model, or a flow is both allowed and denied (one error lists every problem)
   */
  public verify(model: ReachabilityModel): VerificationReport {
    const v = new PropsValidator('ReachabilityIntent');
    for (const e of this.endpoints) {
      const problem = model._problemOf(e.endpoint, `endpoints.${e.name}`);
      if (problem) {
        v.reportText(problem);
      }
    }
    const expected = new Map<string, { expectation: FlowExpectation; description?: string }>();
    const END = ReachabilityLayer.END_TO_END;
    const key = (s: string, d: string, p: FlowProtocol, port: number, layer: ReachabilityLayer = END) => `${s}|${d}|${p}|${port}|${layer}`;
    for (const flow of this.allowed) {
      for (const port of flow.ports) {
        const k = key(flow.source, flow.destination, flow.protocol ?? FlowProtocol.TCP, port);
        expected.set(k, { expectation: FlowExpectation.ALLOWED, description: flow.description });
      }
    }
    for (const flow of this.denied) {
      for (const [protocol, port] of this.deniedPorts(flow)) {
        const layer = flow.layer ?? END;
        const k = key(flow.source, flow.destination, protocol, port, layer);
        if (expected.get(key(flow.source, flow.destination, protocol, port))?.expectation === FlowExpectation.ALLOWED) {
          v.reportText(`${flow.source} → ${flow.destination} ${protocol}/${port} is both allowed and denied${layer === END ? '' : ` at the ${layer} layer`}; keep one.`);
        }
        expected.set(k, { expectation: FlowExpectation.DENIED, description: flow.description });
      }
    }
    throwIfInvalid(v, 'ReachabilityIntent');

    const byName = new Map(this.endpoints.map((e) => [e.name, e]));
    const ports = this.matrixPorts();
    const checks: FlowCheck[] = [];
    const evaluate = (s: string, d: string, protocol: FlowProtocol, port: number, layer: ReachabilityLayer = END) => {
      const declared = expected.get(key(s, d, protocol, port, layer));
      const expectation = declared?.expectation ?? FlowExpectation.BLOCKED;
      const result = layer === END
        ? model.query(byName.get(s)!.endpoint, byName.get(d)!.endpoint, protocol, port)
        : model.queryLayer(byName.get(s)!.endpoint, byName.get(d)!.endpoint, protocol, port, layer);
      const toOnPremises = byName.get(d)!.endpoint.kind === EndpointKind.ON_PREMISES;
      checks.push({
        source: s,
        destination: d,
        protocol,
        port,
        expectation,
        description: declared?.description,
        layer,
        result,
        violation: layer === END ? this.judge(expectation, result, toOnPremises) : judgeLayer(result),
      });
    };
    const matrix = this.endpoints.filter((e) => e.matrix);
    const done = new Set<string>();
    for (const s of matrix) {
      for (const d of matrix) {
        if (s === d) {
          continue;
        }
        for (const [protocol, port] of ports) {
          done.add(key(s.name, d.name, protocol, port));
          evaluate(s.name, d.name, protocol, port);
        }
      }
    }
    for (const k of expected.keys()) {
      if (!done.has(k)) {
        const [s, d, protocol, port, layer] = k.split('|');
        evaluate(s, d, protocol as FlowProtocol, Number(port), layer as ReachabilityLayer);
      }
    }
    return VerificationReport._create(this.endpoints.map((e) => e.name), matrix.map((e) => e.name), checks, model.issues, model.summary);
  }

  private judge(expectation: FlowExpectation, result: QueryResult, toOnPremises: boolean): ViolationKind | undefined {
    if (expectation === FlowExpectation.ALLOWED) {
      return result.verdict === Verdict.ALLOWED ? undefined
        : result.verdict === Verdict.UNKNOWN ? ViolationKind.DECLARED_FLOW_UNKNOWN : ViolationKind.DECLARED_FLOW_BLOCKED;
    }
    if (result.verdict === Verdict.ALLOWED || result.verdict === Verdict.PARTIAL) {
      return ViolationKind.UNDECLARED_FLOW_OPEN;
    }
    if (result.verdict === Verdict.UNKNOWN || result.forwardVerdict === Verdict.UNKNOWN) {
      return ViolationKind.UNDECLARED_FLOW_UNKNOWN;
    }
    if (result.forwardVerdict !== Verdict.BLOCKED) {
      const report = expectation === FlowExpectation.DENIED || this.oneWay === OneWayPolicy.VIOLATION
        || (this.oneWay === OneWayPolicy.VIOLATION_UNLESS_TO_ON_PREMISES && !toOnPremises);
      return report ? ViolationKind.UNDECLARED_FLOW_ONE_WAY : undefined;
    }
    return undefined;
  }

  private matrixPorts(): Array<[FlowProtocol, number]> {
    const sets: Record<string, Set<number>> = { tcp: new Set(this.tcpProbes), udp: new Set(this.udpProbes), icmp: new Set() };
    for (const flow of this.allowed) {
      flow.ports.forEach((p) => sets[flow.protocol ?? FlowProtocol.TCP].add(p));
    }
    const out: Array<[FlowProtocol, number]> = [];
    for (const protocol of [FlowProtocol.TCP, FlowProtocol.UDP, FlowProtocol.ICMP]) {
      [...sets[protocol]].sort((a, b) => a - b).forEach((p) => out.push([protocol, p]));
    }
    return out;
  }

  private deniedPorts(flow: DeniedFlow): Array<[FlowProtocol, number]> {
    if (flow.protocol !== undefined) {
      const ports = flow.ports ?? (flow.protocol === FlowProtocol.UDP ? this.udpProbes : flow.protocol === FlowProtocol.TCP ? this.tcpProbes : [8]);
      return ports.map((p) => [flow.protocol!, p]);
    }
    return [
      ...(flow.ports ?? this.tcpProbes).map((p): [FlowProtocol, number] => [FlowProtocol.TCP, p]),
      ...(flow.ports ?? this.udpProbes).map((p): [FlowProtocol, number] => [FlowProtocol.UDP, p]),
    ];
  }

  private checkFlow(v: PropsValidator, source: string, destination: string, protocol: FlowProtocol, ports: number[], needPorts: boolean): void {
    const names = this.endpoints.map((e) => e.name);
    const fix = `add it with addEndpoint first (endpoints: ${names.join(', ') || 'none'}).`;
    v.check(names.includes(source), 'source', source, `is not an endpoint; ${fix}`);
    v.check(names.includes(destination), 'destination', destination, `is not an endpoint; ${fix}`);
    v.check(source !== destination, 'destination', destination, 'is the source itself; a flow connects two endpoints.');
    if (needPorts) {
      v.nonEmpty('ports', ports, 'give at least one port, e.g. [443].');
    }
    ports.forEach((p, i) => protocol === FlowProtocol.ICMP
      ? v.integerInRange(`ports[${i}]`, p, 0, 255, 'an ICMP type')
      : v.port(`ports[${i}]`, p));
  }
}

/** The result of `ReachabilityIntent.verify`. */
export class VerificationReport {
  /** @internal */
  public static _create(endpoints: string[], matrixEndpoints: string[], checks: FlowCheck[], issues: ModelIssue[],
    summary: ModelSummary): VerificationReport {
    return new VerificationReport(endpoints, matrixEndpoints, checks, issues, summary);
  }

  /** Every flow that violates the intent. */
  public readonly violations: Violation[];
  /** True when there is no violation. */
  public readonly passed: boolean;
  /** All endpoint names. */
  public readonly endpoints: string[];
  /** The endpoints of the matrix, in order. */
  public readonly matrixEndpoints: string[];
  /** Every evaluated flow. */
  public readonly checks: FlowCheck[];
  /** The model's unresolved values and types not modelled. */
  public readonly issues: ModelIssue[];
  /** The model's summary. */
  public readonly summary: ModelSummary;

  private constructor(endpoints: string[], matrixEndpoints: string[], checks: FlowCheck[], issues: ModelIssue[], summary: ModelSummary) {
    this.endpoints = endpoints;
    this.matrixEndpoints = matrixEndpoints;
    this.checks = checks;
    this.issues = issues;
    this.summary = summary;
    this.violations = checks.filter((c) => c.violation).map((c) => ({
      kind: c.violation!,
      source: c.source,
      destination: c.destination,
      protocol: c.protocol,
      port: c.port,
      verdict: c.result.verdict,
      forwardVerdict: c.result.forwardVerdict,
      reason: c.result.reason,
      paths: c.result.paths,
      layer: c.layer,
      description: c.description,
      message: `${c.source} → ${c.destination} ${c.protocol}/${c.port}${c.layer === ReachabilityLayer.END_TO_END ? '' : ` [${c.layer}]`}: ` +
        `${describeViolation(c.violation!, c.expectation, c.layer)}: ${c.result.reason}`,
    }));
    this.passed = this.violations.length === 0;
  }

  /** The matrix of sources (rows) × destinations (columns) with the ports that are open, and a legend. */
  public renderMatrix(): string {
    return renderMatrix(this.matrixEndpoints, this.checks);
  }

  /**
   * The flows declared with `allow` or `deny` that involve an endpoint outside the matrix (route-level segmentation
   * between VPCs and subnets), one line per source → destination pair with its ports and status; empty when there
   * are none.
   */
  public renderDeclaredFlowsOutsideMatrix(): string {
    return renderOutsideMatrix(this.matrixEndpoints, this.checks);
  }

  /** Every violation with its path, hop by hop. */
  public renderViolations(): string {
    return renderViolations(this.violations);
  }

  /** The whole report: summary, matrix, the declared flows outside the matrix, violations, model issues. */
  public render(): string {
    const s = this.summary;
    const head = `Reachability verification: ${s.stacks} stacks in accounts ${s.accounts.join(', ')}; ${s.vpcs} VPCs, ${s.subnets} subnets, ` +
      `${s.transitGateways} transit gateways, ${s.transitGatewayRouteTables} TGW route tables, ${s.attachments} attachments, ${s.endpoints} endpoints ` +
      `(model built in ${s.buildMillis} ms); ${this.checks.length} flows checked.`;
    const verdict = this.passed ? 'PASSED: no violation.' : `FAILED: ${this.violations.length} violation${this.violations.length === 1 ? '' : 's'}.`;
    const outside = this.renderDeclaredFlowsOutsideMatrix();
    return [head, '', this.renderMatrix(), '', ...(outside ? [outside, ''] : []), this.renderViolations(), '', renderIssues(this.issues), '', verdict].join('\n');
  }
}

/** A flow denied at one layer violates the intent when that layer on its own lets any packet through. */
function judgeLayer(result: QueryResult): ViolationKind | undefined {
  if (result.forwardVerdict === Verdict.ALLOWED || result.forwardVerdict === Verdict.PARTIAL) {
    return ViolationKind.DENIED_LAYER_OPEN;
  }
  return result.forwardVerdict === Verdict.UNKNOWN ? ViolationKind.UNDECLARED_FLOW_UNKNOWN : undefined;
}

function describeViolation(kind: ViolationKind, expectation: FlowExpectation, layer: ReachabilityLayer): string {
  const flow = expectation === FlowExpectation.DENIED ? 'denied flow' : 'undeclared flow';
  switch (kind) {
    case ViolationKind.DENIED_LAYER_OPEN: return `the ${layer} layer on its own lets this denied flow through (defence in depth lost)`;
    case ViolationKind.DECLARED_FLOW_BLOCKED: return 'declared flow is blocked';
    case ViolationKind.DECLARED_FLOW_UNKNOWN: return 'declared flow cannot be proven offline';
    case ViolationKind.UNDECLARED_FLOW_OPEN: return `${flow} is open`;
    case ViolationKind.UNDECLARED_FLOW_ONE_WAY: return `${flow} delivers packets one-way (replies are dropped)`;
    default: return `${flow} cannot be proven blocked offline`;
  }
}
