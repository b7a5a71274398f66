import { Token } from 'aws-cdk-lib';
import { IConstruct } from 'constructs';
import { cidrProblem, Ipv4Cidr, isIpv4, ipv4ToNumber } from './cidr';

/**
 * Collects every problem found in a construct's props and throws them together, so that users fix their input in
 * one round. Each problem names the prop (as the user wrote it, e.g. `segments[1].cidrs[0]`), shows the value and
 * says how to fix it. Values that are unresolved tokens are skipped: they are only known at deployment.
 *
 * Usage:
 * ```ts
 * const v = new PropsValidator('GovHybridTransitHub');
 * const cidr = v.cidr('spokes[0].cidr', props.spokes[0].cidr);
 * v.throwIfInvalid(this);
 * ```
 */
export class PropsValidator {
  private readonly problems: string[] = [];

  /** @param subject the construct or class name the props belong to, e.g. `GovHybridTransitHub`. */
  constructor(private readonly subject: string) {}

  /** True when no problem has been recorded so far. */
  public get ok(): boolean {
    return this.problems.length === 0;
  }

  /** The problems recorded so far, in order. */
  public get messages(): readonly string[] {
    return [...this.problems];
  }

  /** True when the value is (or contains) an unresolved CDK token and so cannot be checked at synth. */
  public isToken(value: unknown): boolean {
    return value !== undefined && value !== null && Token.isUnresolved(value);
  }

  /**
   * Records a problem with one prop value: "`prop` value message".
   * `message` says what is wrong and how to fix it, e.g. "is not an IPv4 address; write it as a.b.c.d".
   */
  public report(prop: string, value: unknown, message: string): void {
    this.problems.push(`\`${prop}\` ${renderValue(value)} ${message}`);
  }

  /** Records a problem that concerns several props; the text must name them itself. */
  public reportText(text: string): void {
    this.problems.push(text);
  }

  /** Records `message` for `prop` unless `condition` holds. Returns `condition`. */
  public check(condition: boolean, prop: string, value: unknown, message: string): boolean {
    if (!condition) {
      this.report(prop, value, message);
    }
    return condition;
  }

  /** Parses an IPv4 CIDR; records a problem and returns undefined when it is malformed, or when it is a token. */
  public cidr(prop: string, value: string): Ipv4Cidr | undefined {
    if (this.isToken(value)) {
      return undefined;
    }
    const problem = cidrProblem(value);
    if (problem) {
      this.report(prop, value, problem + '.');
      return undefined;
    }
    return Ipv4Cidr.parse(value);
  }

  /** Parses an IPv4 address as a /32; records a problem and returns undefined when it is malformed or a token. */
  public ipv4(prop: string, value: string): Ipv4Cidr | undefined {
    if (this.isToken(value)) {
      return undefined;
    }
    if (!isIpv4(value)) {
      this.report(prop, value, 'is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).');
      return undefined;
    }
    return new Ipv4Cidr(ipv4ToNumber(value), 32);
  }

  /** Parses an IPv4 address (as a /32) or CIDR; records a problem when it is neither. */
  public ipv4OrCidr(prop: string, value: string): Ipv4Cidr | undefined {
    if (this.isToken(value)) {
      return undefined;
    }
    return value.includes('/') ? this.cidr(prop, value) : this.ipv4(prop, value);
  }

  /** Checks a TCP/UDP port number, 1-65535. */
  public port(prop: string, value: number): boolean {
    return this.integerInRange(prop, value, 1, 65535, 'a TCP/UDP port');
  }

  /**
   * Checks that `value` is an integer within `[min, max]`.
   * @param what what the number is, with its unit, e.g. `a retention in days`.
   */
  public integerInRange(prop: string, value: number, min: number, max: number, what: string): boolean {
    if (this.isToken(value)) {
      return true;
    }
    return this.check(Number.isInteger(value) && value >= min && value <= max, prop, value,
      `is not ${what}; use an integer from ${min} to ${max}.`);
  }

  /**
   * Checks a BGP autonomous system number.
   * @param privateOnly when true, only the private ranges 64512-65534 and 4200000000-4294967294 are accepted.
   * @see https://www.rfc-editor.org/rfc/rfc6996
   */
  public asn(prop: string, value: number, privateOnly: boolean): boolean {
    if (this.isToken(value)) {
      return true;
    }
    if (privateOnly) {
      const ok = Number.isInteger(value) && ((value >= 64512 && value <= 65534) || (value >= 4200000000 && value <= 4294967294));
      return this.check(ok, prop, value, 'is not a private ASN; use 64512-65534 or 4200000000-4294967294.');
    }
    return this.check(Number.isInteger(value) && value >= 1 && value <= 4294967294, prop, value,
      'is not a BGP ASN; use an integer from 1 to 4294967294.');
  }

  /**
   * Checks a DNS domain name such as `prod.internal` or `onprem.example.local`: labels of letters, digits and
   * hyphens (1-63 characters, not starting or ending with a hyphen), at most 253 characters, an optional trailing dot.
   * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/DomainNameFormat.html
   */
  public domainName(prop: string, value: string): boolean {
    if (this.isToken(value)) {
      return true;
    }
    return this.check(isDomainName(value), prop, value,
      'is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.');
  }

  /** Checks a 12-digit AWS account ID. */
  public accountId(prop: string, value: string): boolean {
    if (this.isToken(value)) {
      return true;
    }
    return this.check(/^[0-9]{12}$/.test(value), prop, value, 'is not an AWS account ID; use the 12 digits of the account.');
  }

  /** Records a problem when the list is empty. */
  public nonEmpty(prop: string, value: readonly unknown[] | undefined, fix: string): boolean {
    return this.check(value !== undefined && value.length > 0, prop, value ?? [], `is empty; ${fix}`);
  }

  /**
   * Throws one error listing every recorded problem; does nothing when there is none.
   * @param scope the construct whose props were checked; its path is named in the error.
   */
  public throwIfInvalid(scope: IConstruct): void {
    if (this.problems.length === 0) {
      return;
    }
    const count = this.problems.length === 1 ? '1 problem' : `${this.problems.length} problems`;
    throw new Error(`Invalid ${this.subject} props at ${scope.node.path} (${count}):\n` +
      this.problems.map((p) => `  - ${p}`).join('\n'));
  }
}

/** True for a DNS domain name as Route 53 accepts it for hosted zones and Resolver rules (see `PropsValidator.domainName`). */
export function isDomainName(value: string): boolean {
  const name = value.endsWith('.') ? value.slice(0, -1) : value;
  if (name.length === 0 || name.length > 253) {
    return false;
  }
  return name.split('.').every((label) => /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?$/.test(label));
}

/** Renders a value for an error message: strings as they are (quoted when empty or with spaces), the rest as JSON. */
export function renderValue(value: unknown): string {
  if (typeof value === 'string') {
    return value === '' || /\s/.test(value) ? JSON.stringify(value) : value;
  }
  if (value === undefined) {
    return '(undefined)';
  }
  return JSON.stringify(value);
}
