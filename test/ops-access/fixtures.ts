import { App, Stack } from 'aws-cdk-lib';
import { OverlappingCidrOpsAccess, OverlappingCidrOpsAccessProps, SessionPreferencesMode } from '../../src/ops-access';

export const NETWORK_ACCOUNT = '222222222222';
export const REGION = 'ap-northeast-1';
export const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];
export const TGW = 'tgw-0123456789abcdef0';

/** A Network-account stack with explicit env and the reference AZs in context (no lookup). */
export function networkStack(): Stack {
  const app = new App({ context: { [`availability-zones:account=${NETWORK_ACCOUNT}:region=${REGION}`]: AZS } });
  return new Stack(app, 'Network', { env: { account: NETWORK_ACCOUNT, region: REGION } });
}

/** The reference deployment's configuration of the construct (ARCHITECTURE.md address plan). */
export function referenceProps(overrides: Partial<OverlappingCidrOpsAccessProps> = {}): OverlappingCidrOpsAccessProps {
  return {
    sessionPreferences: SessionPreferencesMode.STACK_MANAGED,
    operatorTerminalCidrs: ['10.0.210.0/24'],
    dataCentreReturnCidrs: ['10.0.250.10', '10.0.250.11'],
    spokeVpcCidrs: ['10.0.0.0/18', '10.0.64.0/18'],
    spokeSummaryCidrs: ['10.0.0.0/16'],
    transitGatewayId: TGW,
    availabilityZones: AZS,
    forwardingTargets: [
      { name: 'prod-db', host: 'db.prod.internal', port: 5432, localPort: 15432, cidr: '10.0.0.0/18' },
      { name: 'prod-app', host: '10.0.0.0/18', port: 8080, localPort: 18080 },
      { name: 'dev-db', host: 'db.dev.internal', port: 5432, localPort: 25432, cidr: '10.0.64.0/18' },
      { name: 'dev-app', host: '10.0.64.0/18', port: 8080, localPort: 28080 },
    ],
    ...overrides,
  };
}

/** The reference-like construct in a Network stack. */
export function referenceOps(overrides: Partial<OverlappingCidrOpsAccessProps> = {}): { stack: Stack; ops: OverlappingCidrOpsAccess } {
  const stack = networkStack();
  const ops = new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps(overrides));
  return { stack, ops };
}
