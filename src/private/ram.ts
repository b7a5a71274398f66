import { Token } from 'aws-cdk-lib';
import { PropsValidator } from './validation';

/** A 12-digit AWS account ID. */
export const ACCOUNT_ID_PATTERN = /^[0-9]{12}$/;

/** An organizational unit ARN: `arn:aws:organizations::<management account>:ou/o-<org>/ou-<root>-<ou>`. */
export const ORGANIZATIONAL_UNIT_ARN_PATTERN = /^arn:aws[a-z-]*:organizations::[0-9]{12}:ou\/o-[a-z0-9]{10,32}\/ou-[a-z0-9]{4,32}-[a-z0-9]{8,32}$/;

/** An organization ARN: `arn:aws:organizations::<management account>:organization/o-<org>`. */
export const ORGANIZATION_ARN_PATTERN = /^arn:aws[a-z-]*:organizations::[0-9]{12}:organization\/o-[a-z0-9]{10,32}$/;

/** The kinds of AWS RAM principals this library shares with. */
export type RamPrincipalKind = 'account' | 'organizational-unit' | 'organization';

/** What a RAM principal is, or undefined when it is none of an account ID, an OU ARN or an organization ARN. */
export function ramPrincipalKind(principal: string): RamPrincipalKind | undefined {
  if (ACCOUNT_ID_PATTERN.test(principal)) {
    return 'account';
  }
  if (ORGANIZATIONAL_UNIT_ARN_PATTERN.test(principal)) {
    return 'organizational-unit';
  }
  if (ORGANIZATION_ARN_PATTERN.test(principal)) {
    return 'organization';
  }
  return undefined;
}

/** Options of `validateRamPrincipal`. */
export interface RamPrincipalCheck {
  /** The account that owns the shared resource (the stack's account); a token skips the owner check. */
  readonly ownerAccount: string;
  /** How to name the shared resource in messages, e.g. `the Profile`, `the transit gateway`. */
  readonly resource: string;
}

/**
 * Checks one principal of an AWS RAM resource share: a 12-digit account ID, an organizational unit ARN or the
 * organization ARN, and not the account that owns the resource (RAM cannot share a resource with its owner).
 * Tokens are skipped. IAM role and user principals are not accepted: this library shares only with accounts and
 * organization units, and with external principals off.
 *
 * @returns true when the principal was checked and is acceptable (or is a token)
 * @see https://docs.aws.amazon.com/ram/latest/APIReference/API_CreateResourceShare.html
 */
export function validateRamPrincipal(v: PropsValidator, prop: string, principal: string, check: RamPrincipalCheck): boolean {
  if (v.isToken(principal)) {
    return true;
  }
  if (ramPrincipalKind(principal) === undefined) {
    v.report(prop, principal,
      'is not a RAM principal; use a 12-digit account ID, an OU ARN (arn:aws:organizations::<management account>:ou/o-.../ou-...) or the organization ARN.');
    return false;
  }
  if (!Token.isUnresolved(check.ownerAccount) && principal === check.ownerAccount) {
    v.report(prop, principal, `is the account that owns ${check.resource}; RAM cannot share a resource with its owner, so remove it.`);
    return false;
  }
  return true;
}
