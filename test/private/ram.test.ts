import { CfnParameter, Stack } from 'aws-cdk-lib';
import { ramPrincipalKind, validateRamPrincipal } from '../../src/private/ram';
import { PropsValidator } from '../../src/private/validation';

const OU = 'arn:aws:organizations::111111111111:ou/o-abcdefghij/ou-ab12-cdefghij';
const ORG = 'arn:aws:organizations::111111111111:organization/o-abcdefghij';

describe('RAM principals', () => {
  test('accounts, OU ARNs and the organization ARN are told apart; anything else is none', () => {
    expect([ramPrincipalKind('333333333333'), ramPrincipalKind(OU), ramPrincipalKind(ORG)]).toEqual(['account', 'organizational-unit', 'organization']);
    expect([ramPrincipalKind('3333'), ramPrincipalKind('ou-ab12-cdefghij'), ramPrincipalKind('arn:aws:iam::333333333333:role/x')]).toEqual([undefined, undefined, undefined]);
  });

  test('validateRamPrincipal reports malformed principals and the owner account, and skips tokens', () => {
    const v = new PropsValidator('X');
    const check = { ownerAccount: '222222222222', resource: 'the Profile' };
    expect(validateRamPrincipal(v, 'principals[0]', '333333333333', check)).toBe(true);
    expect(validateRamPrincipal(v, 'principals[1]', OU, check)).toBe(true);
    expect(validateRamPrincipal(v, 'principals[2]', 'ou-ab12-cdefghij', check)).toBe(false);
    expect(validateRamPrincipal(v, 'principals[3]', '222222222222', check)).toBe(false);
    expect(validateRamPrincipal(v, 'principals[4]', new CfnParameter(new Stack(), 'P').valueAsString, check)).toBe(true);
    expect(v.messages).toEqual([
      '`principals[2]` ou-ab12-cdefghij is not a RAM principal; use a 12-digit account ID, an OU ARN (arn:aws:organizations::<management account>:ou/o-.../ou-...) or the organization ARN.',
      '`principals[3]` 222222222222 is the account that owns the Profile; RAM cannot share a resource with its owner, so remove it.',
    ]);
  });

  test('an owner account that is a token (environment-agnostic stack) skips only the owner check', () => {
    const v = new PropsValidator('X');
    validateRamPrincipal(v, 'p', '222222222222', { ownerAccount: Stack.of(new Stack()).account, resource: 'the transit gateway' });
    expect(v.messages).toEqual([]);
  });
});
