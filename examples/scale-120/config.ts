/**
 * The 120-account topology of seed `001_…` (TechNova), with a consistent address plan.
 *
 * Accounts (120 at full scale):
 *   - 4 core accounts: management (AWS Organizations, no VPC), security (log archive + security VPC), shared
 *     services (VPC), network hub (transit gateway, VPNs, network VPC);
 *   - 96 department workload accounts: 4 departments (manufacturing, sales, service, iot) x 4 environments
 *     (dev, test, staging, prod) x 6 accounts (app, db, api, batch, monitor, network), as the seed lists them;
 *   - 20 common-platform accounts: the seed's "common" namespace (auth, notification, master, reporting) plus the
 *     `common-api` the seed routes every department API to, per environment: 4 environments x 5 accounts. The seed
 *     says 120 accounts but itemizes only 100; these 20 are the rest.
 *
 * Address plan (correction of the seed, whose plan cannot be built: "10.0.1.0/16" has host bits set, the six /16s
 * of one environment are the same /16, and its /28 attachment subnets are misaligned):
 *   - environment first, so that blackholes between environments are three summary routes per segment:
 *     dev 10.0.0.0/13, test 10.8.0.0/13, staging 10.16.0.0/13, prod 10.24.0.0/13;
 *   - each department a /16 inside its environment's /13 (5 of 8 slots used: room for 3 more departments);
 *   - each account a /20 inside its department-environment /16 (6 of 16 slots used: room for 10 more accounts);
 *   - the seed's core VPCs unchanged: shared services 10.100.0.0/16, network hub 10.150.0.0/16, security 10.200.0.0/16;
 *   - on premises (behind the VPNs): 192.168.0.0/16 and 172.16.0.0/12, as in the seed.
 *
 * The number of accounts can be lowered (`accounts`, 5 to 120) for the benchmark: the core accounts and every
 * segment stay, and the workload accounts are taken role by role (every app account first, then every db account, …)
 * so that each department and environment grows in proportion.
 */

/** The departments of the seed, plus the common platform. Each is one AWS Organizations OU. */
export const DEPARTMENTS = ['mfg', 'sales', 'service', 'iot', 'common'] as const;
export type Department = typeof DEPARTMENTS[number];

/** The environments, in address-plan order. */
export const ENVIRONMENTS = ['dev', 'test', 'staging', 'prod'] as const;
export type Environment = typeof ENVIRONMENTS[number];

/** The accounts of one department-environment. */
export const DEPARTMENT_ROLES = ['app', 'db', 'api', 'batch', 'monitor', 'network'] as const;
/** The accounts of the common platform per environment. */
export const COMMON_ROLES = ['auth', 'notification', 'master', 'reporting', 'api'] as const;

/**
 * Which departments' API accounts talk to each other (seed: manufacturing <-> sales order/stock, service <-> iot
 * maintenance data, every department -> common-api). Symmetric: each API account's CIDR is propagated into the
 * peer's segment of the same environment, so API accounts reach each other and nothing else crosses departments.
 */
export const API_PEERS: Record<Department, Department[]> = {
  mfg: ['sales', 'common'],
  sales: ['mfg', 'common'],
  service: ['iot', 'common'],
  iot: ['service', 'common'],
  common: ['mfg', 'sales', 'service', 'iot'],
};

/** The full size of the seed's organization. */
export const FULL_ACCOUNTS = 120;
/** Accounts that exist at every scale: management, security, shared services, network hub. */
export const CORE_ACCOUNTS = 4;

/** One workload account and its VPC. */
export interface WorkloadAccount {
  /** `mfg-prod-app`. */
  readonly name: string;
  readonly department: Department;
  readonly environment: Environment;
  readonly role: string;
  readonly accountId: string;
  /** The account's VPC, a /20. */
  readonly cidr: string;
  /** `<department>-<environment>`, the segment the account is associated with. */
  readonly segment: string;
}

/** A core account's VPC (shared services, security, network hub). */
export interface CoreVpc {
  readonly name: string;
  readonly accountId: string;
  readonly cidr: string;
}

/** One Site-to-Site VPN to on premises (the seed's DX backup; BGP). */
export interface ScaleVpn {
  readonly name: string;
  readonly customerGatewayIp: string;
  readonly customerGatewayAsn: number;
}

/** The whole plan at one scale. */
export interface ScalePlan {
  /** Total accounts of the organization at this scale, 5 to 120. */
  readonly accounts: number;
  readonly region: string;
  readonly availabilityZones: string[];
  readonly namePrefix: string;
  readonly managementAccount: string;
  readonly securityAccount: string;
  readonly networkAccount: string;
  readonly organizationId: string;
  /** OU ARN of each department, and of the core OU (security, shared services). */
  readonly organizationalUnitArns: Record<Department | 'core', string>;
  readonly environmentCidrs: Record<Environment, string>;
  readonly sharedServices: CoreVpc;
  readonly securityVpc: CoreVpc;
  readonly networkVpc: CoreVpc;
  readonly workloads: WorkloadAccount[];
  readonly onPremisesCidrs: string[];
  readonly vpns: ScaleVpn[];
  readonly transitGatewayAsn: number;
  /**
   * The approved "transit gateway route tables per transit gateway" quota: 20 department-environment segments plus
   * `core` and `onprem` are 22, above the default of 20, so deploying this plan needs a quota increase first.
   */
  readonly routeTableQuota: number;
}

const MANAGEMENT = '100000000000';
const SECURITY = '100000000001';
const SHARED = '100000000002';
const NETWORK = '100000000003';
const ORG_ID = 'o-technova001';

/** `10.<env*8 + dept>.<role*16>.0/20`. */
function workloadCidr(env: number, dept: number, role: number): string {
  return `10.${env * 8 + dept}.${role * 16}.0/20`;
}

function rolesOf(department: Department): readonly string[] {
  return department === 'common' ? COMMON_ROLES : DEPARTMENT_ROLES;
}

/** Every workload account of the full organization, role by role (app accounts first), then env, then department. */
function allWorkloads(): WorkloadAccount[] {
  const result: WorkloadAccount[] = [];
  const maxRoles = Math.max(DEPARTMENT_ROLES.length, COMMON_ROLES.length);
  for (let r = 0; r < maxRoles; r++) {
    ENVIRONMENTS.forEach((environment, e) => {
      DEPARTMENTS.forEach((department, d) => {
        const roles = rolesOf(department);
        if (r >= roles.length) {
          return;
        }
        const role = roles[r];
        result.push({
          name: `${department}-${environment}-${role}`,
          department,
          environment,
          role,
          // 2<dept><env><role>, zero-padded to 12 digits: unique, readable placeholders.
          accountId: `2${d}${e}${String(r).padStart(2, '0')}0000000`,
          cidr: workloadCidr(e, d, r),
          segment: `${department}-${environment}`,
        });
      });
    });
  }
  return result;
}

/**
 * The plan for an organization of `accounts` accounts (default 120, the seed's size).
 * @throws when `accounts` is not an integer from 5 to 120
 */
export function scalePlan(accounts: number = FULL_ACCOUNTS): ScalePlan {
  if (!Number.isInteger(accounts) || accounts < CORE_ACCOUNTS + 1 || accounts > FULL_ACCOUNTS) {
    throw new Error(`accounts ${accounts} is out of range; give an integer from ${CORE_ACCOUNTS + 1} to ${FULL_ACCOUNTS} ` +
      `(${CORE_ACCOUNTS} core accounts plus at least one workload account).`);
  }
  const ou = (name: string) => `arn:aws:organizations::${MANAGEMENT}:ou/${ORG_ID}/ou-tn01-${name.padEnd(8, '0')}`;
  return {
    accounts,
    region: 'ap-northeast-1',
    availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
    namePrefix: 'technova',
    managementAccount: MANAGEMENT,
    securityAccount: SECURITY,
    networkAccount: NETWORK,
    organizationId: ORG_ID,
    organizationalUnitArns: {
      mfg: ou('mfg'), sales: ou('sales'), service: ou('service'), iot: ou('iot'), common: ou('common'), core: ou('core'),
    },
    environmentCidrs: { dev: '10.0.0.0/13', test: '10.8.0.0/13', staging: '10.16.0.0/13', prod: '10.24.0.0/13' },
    sharedServices: { name: 'shared-services', accountId: SHARED, cidr: '10.100.0.0/16' },
    securityVpc: { name: 'security', accountId: SECURITY, cidr: '10.200.0.0/16' },
    networkVpc: { name: 'network', accountId: NETWORK, cidr: '10.150.0.0/16' },
    workloads: allWorkloads().slice(0, accounts - CORE_ACCOUNTS),
    onPremisesCidrs: ['192.168.0.0/16', '172.16.0.0/12'],
    vpns: [
      { name: 'onprem-primary', customerGatewayIp: '203.0.113.30', customerGatewayAsn: 65000 },
      { name: 'onprem-secondary', customerGatewayIp: '203.0.113.31', customerGatewayAsn: 65001 },
    ],
    transitGatewayAsn: 64512,
    routeTableQuota: 22,
  };
}

/**
 * The subnets of a spoke VPC, from its CIDR (a /16 or a /20): two /28s for the transit gateway attachment, then two
 * /24s each for the load balancer, application and data subnets. One per availability zone.
 */
export function spokeSubnets(cidr: string): { tgw: string[]; alb: string[]; app: string[]; data: string[] } {
  const [a, b, c] = cidr.split('/')[0].split('.').map(Number);
  const at = (offset: number, suffix: string) => `${a}.${b}.${c + offset}.${suffix}`;
  return {
    tgw: [at(0, '0/28'), at(0, '16/28')],
    alb: [at(1, '0/24'), at(2, '0/24')],
    app: [at(4, '0/24'), at(5, '0/24')],
    data: [at(8, '0/24'), at(9, '0/24')],
  };
}
