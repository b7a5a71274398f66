/**
 * A host (or range of hosts) in a spoke VPC that operators reach by port forwarding through the bastion, e.g. an
 * RDS instance on 5432 or the task ENIs of an ECS service on 8080.
 *
 * Registering a target opens the bastion's security group egress for TCP `port` towards `cidr`, and prints the
 * exact `aws ssm start-session … AWS-StartPortForwardingSessionToRemoteHost …` command as a stack output.
 *
 * @see https://docs.aws.amazon.com/systems-manager/latest/userguide/session-manager-working-with-sessions-start.html#sessions-remote-port-forwarding
 */
export interface ForwardingTargetOptions {
  /**
   * A short name for the target, used in the stack output and its description: 1-64 letters, digits and hyphens,
   * starting with a letter or digit, unique within the construct, e.g. `prod-db`.
   */
  readonly name: string;

  /**
   * What the bastion connects to:
   * - an IPv4 address (`10.0.12.34`);
   * - a DNS name the bastion resolves through the Network VPC's resolver (`db.prod.internal`, an RDS endpoint);
   *   `cidr` is then required, because a security group cannot be opened for a name;
   * - a CIDR (`10.0.0.0/18`) for hosts whose address changes, such as ECS task ENIs: the printed command then has a
   *   placeholder for the address, which the operator fills in (e.g. from `aws ecs describe-tasks`).
   */
  readonly host: string;

  /** The TCP port on the target, 1-65535, e.g. `5432` for PostgreSQL. */
  readonly port: number;

  /**
   * The TCP port on the operator's terminal that the Session Manager plugin listens on, 1-65535. Every target of
   * one construct needs its own local port, so that an operator can keep several sessions open at once.
   *
   * @default - the same as `port`
   */
  readonly localPort?: number;

  /**
   * The IPv4 CIDR the bastion's egress rule opens for `port`. Required when `host` is a DNS name (give the range
   * the name resolves into, e.g. the spoke VPC CIDR or its database subnets); when `host` is an address or a CIDR
   * it must contain `host`. With a transit gateway, it must lie inside the Network VPC or a `spokeVpcCidrs` entry:
   * a target in the data centre or the user sites is rejected at synth, so the bastion never forwards back on premises.
   *
   * @default - `host` itself: its /32 for an address, the CIDR for a CIDR
   */
  readonly cidr?: string;
}

/** A forwarding target as registered on the construct, with the values actually used. */
export interface RegisteredForwardingTarget {
  /** The target's name. */
  readonly name: string;
  /** The host as given: an IPv4 address, a DNS name or a CIDR. */
  readonly host: string;
  /** The TCP port on the target. */
  readonly port: number;
  /** The TCP port on the operator's terminal. */
  readonly localPort: number;
  /** The IPv4 CIDR the bastion's egress rule opens for `port`. */
  readonly cidr: string;
  /**
   * The command an operator runs on the terminal to open the tunnel. When `host` is a CIDR the `host` parameter
   * holds a placeholder naming the range, to be replaced by the address of the moment.
   */
  readonly startSessionCommand: string;
}
