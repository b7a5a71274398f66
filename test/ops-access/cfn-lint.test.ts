import { App, Stack } from 'aws-cdk-lib';
import { NETWORK_ACCOUNT, REGION, AZS, referenceProps } from './fixtures';
import { OverlappingCidrOpsAccess, SessionPreferencesMode } from '../../src/ops-access';
import { cfnLintFindings } from '../support/cfn-lint';

test('the reference-like Network stack and the default configuration pass cfn-lint with zero errors and zero warnings', () => {
  // GIVEN every optional part switched on in the Network stack, and the defaults in an environment-agnostic stack
  const app = new App({ context: { [`availability-zones:account=${NETWORK_ACCOUNT}:region=${REGION}`]: AZS } });
  const network = new Stack(app, 'Network', { env: { account: NETWORK_ACCOUNT, region: REGION } });
  new OverlappingCidrOpsAccess(network, 'Ops', referenceProps({ stsEndpoint: true, instanceConnectEndpoint: true, shellAccess: true }));
  const agnostic = new Stack(app, 'Agnostic');
  new OverlappingCidrOpsAccess(agnostic, 'Ops', {
    sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
    operatorTerminalCidrs: ['10.0.210.0/24'],
  });
  // WHEN / THEN
  expect(cfnLintFindings(app, [network, agnostic])).toEqual([]);
});
