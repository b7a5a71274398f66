import { PropsValidator } from '../../private/validation';

/**
 * Throws one error listing every problem recorded on `v`, in the format of `PropsValidator.throwIfInvalid`, for the
 * classes of the reachability engine, which are not constructs: "Invalid ReachabilityModel options (2 problems):\n  - …".
 *
 * @param heading what was checked, e.g. `ReachabilityModel options`
 */
export function throwIfInvalid(v: PropsValidator, heading: string): void {
  const problems = v.messages;
  if (problems.length === 0) {
    return;
  }
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  throw new Error(`Invalid ${heading} (${count}):\n` + problems.map((p) => `  - ${p}`).join('\n'));
}
