import { Tokenization } from 'aws-cdk-lib';
import { Ipv4Cidr } from '../../private/cidr';
import { isDomainName, PropsValidator } from '../../private/validation';
import { ForwardingTargetOptions } from '../forwarding-target';

/** The Session Manager document that forwards a local port to a host the managed node can reach. */
export const PORT_FORWARDING_DOCUMENT = 'AWS-StartPortForwardingSessionToRemoteHost';

const TARGET_NAME = /^[A-Za-z0-9][A-Za-z0-9-]{0,63}$/;

/** How a target's host was understood. */
interface ParsedHost {
  readonly kind: 'address' | 'cidr' | 'dns' | 'token' | 'invalid';
  readonly cidr?: Ipv4Cidr;
}

function parseHost(v: PropsValidator, prop: string, host: string): ParsedHost {
  if (v.isToken(host)) {
    return { kind: 'token' };
  }
  if (host.includes('/')) {
    const cidr = v.cidr(prop, host);
    return cidr ? { kind: 'cidr', cidr } : { kind: 'invalid' };
  }
  // Dotted numbers are meant as an address; `10.0.0.256` must not pass as a DNS name.
  if (/^[0-9.]+$/.test(host)) {
    const address = v.ipv4(prop, host);
    return address ? { kind: 'address', cidr: address } : { kind: 'invalid' };
  }
  if (!isDomainName(host)) {
    v.report(prop, host, 'is not an IPv4 address, CIDR or DNS name; write e.g. 10.0.12.34, 10.0.0.0/18 or db.prod.internal.');
    return { kind: 'invalid' };
  }
  return { kind: 'dns' };
}

/** A forwarding target after validation, before it is wired into the construct. */
export interface CheckedForwardingTarget {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly localPort: number;
  /** The CIDR for the egress rule, as text (a token stays a token). */
  readonly cidr: string;
  /** The parsed CIDR, when known at synth. */
  readonly parsedCidr?: Ipv4Cidr;
  /** True when `host` is a CIDR, so the command needs a placeholder. */
  readonly hostIsRange: boolean;
}

/** The name and local port a target claims, valid or not, and the prop path it came from. */
export interface ClaimedTarget {
  readonly name: string;
  readonly localPort: number;
  readonly prop: string;
}

/** What a target is checked against. */
export interface ForwardingTargetContext {
  /** Targets registered before, or earlier in the same props list (valid or not), for name and local-port clashes. */
  readonly existing: ReadonlyArray<ClaimedTarget>;
  /**
   * Ranges a target may lie in (the Network VPC and the spoke VPCs), with the prop naming them; undefined when the
   * construct creates no routes (no transit gateway), so reachability is not checked.
   */
  readonly reachable?: ReadonlyArray<{ readonly cidr: Ipv4Cidr; readonly prop: string }>;
}

/**
 * Checks one forwarding target and records every problem on `v`, naming the props under `prefix`
 * (e.g. `forwardingTargets[1]`). Returns the checked target, or undefined when it has a problem.
 */
export function checkForwardingTarget(v: PropsValidator, prefix: string, options: ForwardingTargetOptions,
  context: ForwardingTargetContext): CheckedForwardingTarget | undefined {
  const before = v.messages.length;
  const name = options.name;
  if (!v.isToken(name)) {
    if (!TARGET_NAME.test(name)) {
      v.report(`${prefix}.name`, name, 'is not a target name; use 1-64 letters, digits and hyphens, starting with a letter or digit, e.g. prod-db.');
    }
    const same = context.existing.find((e) => e.name === name);
    if (same) {
      v.report(`${prefix}.name`, name, `is already the name of \`${same.prop}\`; give each forwarding target its own name.`);
    }
  } else {
    v.report(`${prefix}.name`, name, 'is an unresolved token; a target name must be known at synth because it names a stack output.');
  }

  const host = parseHost(v, `${prefix}.host`, options.host);
  v.port(`${prefix}.port`, options.port);
  const localPort = options.localPort ?? options.port;
  if (options.localPort !== undefined) {
    v.port(`${prefix}.localPort`, options.localPort);
  }
  if (!v.isToken(localPort)) {
    const clash = context.existing.find((e) => e.localPort === localPort);
    if (clash) {
      const which = options.localPort === undefined ? `${prefix}.port` : `${prefix}.localPort`;
      v.report(which, localPort,
        `is already the local port of \`${clash.prop}\` (${clash.name}); give each forwarding target its own \`localPort\`.`);
    }
  }

  let cidrText: string | undefined;
  let parsedCidr: Ipv4Cidr | undefined;
  if (options.cidr !== undefined) {
    cidrText = options.cidr;
    parsedCidr = v.cidr(`${prefix}.cidr`, options.cidr);
    if (parsedCidr && host.cidr && !parsedCidr.contains(host.cidr)) {
      v.report(`${prefix}.cidr`, options.cidr,
        `does not contain ${options.host} (\`${prefix}.host\`); give the range the host lies in, or leave \`cidr\` out to open the host itself.`);
    }
  } else if (host.kind === 'dns') {
    v.report(`${prefix}.cidr`, undefined,
      `is required because \`${prefix}.host\` ${options.host} is a DNS name: a security group rule needs the address range the name resolves into, e.g. the spoke VPC CIDR.`);
  } else if (host.cidr) {
    parsedCidr = host.cidr;
    cidrText = host.cidr.toString();
  } else if (host.kind === 'token') {
    cidrText = options.host;
  }

  if (parsedCidr && context.reachable && context.reachable.length > 0
    && !context.reachable.some((r) => r.cidr.contains(parsedCidr!))) {
    const ranges = context.reachable.map((r) => `${r.cidr.toString()} (\`${r.prop}\`)`).join(', ');
    v.report(options.cidr !== undefined ? `${prefix}.cidr` : `${prefix}.host`, parsedCidr.toString(),
      `lies outside the Network VPC and every spoke VPC the bastion forwards into: ${ranges}; add the CIDR of its spoke VPC to ` +
      '`spokeVpcCidrs` or correct the target (the bastion never forwards into the data centre or the user sites).');
  }

  if (v.messages.length > before || cidrText === undefined) {
    return undefined;
  }
  return {
    name,
    host: options.host,
    port: options.port,
    localPort,
    cidr: cidrText,
    parsedCidr,
    hostIsRange: host.kind === 'cidr',
  };
}

/**
 * The exact command that opens the tunnel for a target. Parameters are written in the CLI's shorthand syntax
 * (`host="…",portNumber="…",localPortNumber="…"`), as documented for the AWS CLI; the values are double-quoted for POSIX shells.
 *
 * @see https://docs.aws.amazon.com/cli/latest/reference/ssm/start-session.html
 */
export function startSessionCommand(instanceId: string, region: string, target: CheckedForwardingTarget): string {
  const host = target.hostIsRange ? `<address-in-${target.host}>` : target.host;
  return `aws ssm start-session --target ${instanceId} --document-name ${PORT_FORWARDING_DOCUMENT} ` +
    `--parameters host="${host}",portNumber="${Tokenization.stringifyNumber(target.port)}",` +
    `localPortNumber="${Tokenization.stringifyNumber(target.localPort)}" ` +
    `--region ${region}`;
}
