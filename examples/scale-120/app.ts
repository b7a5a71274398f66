import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { DEPARTMENTS, FULL_ACCOUNTS, ScalePlan, scalePlan } from './config';
import { LogArchiveDestinations } from '../../src';
import { HubStack } from './stacks/hub';
import { CoreRoutingStack, DepartmentRoutingStack } from './stacks/routing';
import { ArchiveStack } from './stacks/security';
import { ScaleSpokeStack } from './stacks/spoke';

/** Options of `createScaleApp`. */
export interface ScaleAppOptions {
  /** Accounts of the organization, 5 to 120. @default 120 (or context `accounts`, or SCALE_ACCOUNTS) */
  readonly accounts?: number;
  /** Where to write the cloud assembly. @default - the CDK CLI's choice (cdk.out) */
  readonly outdir?: string;
  /** Extra context, merged over cdk.json's. @default - none */
  readonly context?: Record<string, unknown>;
  /**
   * Register the cdk-nag AwsSolutions and NIST 800-53 R5 packs as synthesis validation plugins.
   * @default false (the scale example measures the network; the reference deployment is the nag-clean showcase)
   */
  readonly nag?: boolean;
}

/** The scale deployment and its stacks. */
export interface ScaleApp {
  readonly app: App;
  readonly plan: ScalePlan;
  readonly archive: ArchiveStack;
  readonly hub: HubStack;
  /** Every spoke stack (core VPCs first, then the workload accounts). */
  readonly spokes: ScaleSpokeStack[];
  /** The Network account's routing stacks: core, then one per department. */
  readonly routing: Stack[];
  /** Every stack, in construction order (a valid deployment order). */
  readonly stacks: Stack[];
}

/** The feature flags of cdk.json, so that tests and the benchmark synthesize exactly what the CLI does. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.json'), 'utf8')).context;
}

/** The account count from options, context (`-c accounts=30`) or SCALE_ACCOUNTS, default 120. */
function accountCount(app: App, options: ScaleAppOptions): number {
  const raw = options.accounts ?? app.node.tryGetContext('accounts') ?? process.env.SCALE_ACCOUNTS ?? FULL_ACCOUNTS;
  return Number(raw);
}

/**
 * Builds the seed-001 organization with the library: Security archive → Network hub → spokes (core VPCs and workload
 * accounts, one stack per account) → the Network account's routing stacks (core, then one per department).
 */
export function createScaleApp(options: ScaleAppOptions = {}): ScaleApp {
  const fromCli = process.env.CDK_CONTEXT_JSON !== undefined;
  const app = new App({
    outdir: options.outdir,
    context: { ...(fromCli ? {} : cdkJsonContext()), ...options.context },
  });
  const plan = scalePlan(accountCount(app, options));
  const env = (account: string) => ({ account, region: plan.region });

  // The plan's AZs are authoritative: no lookup at synthesis.
  const accounts = new Set([plan.securityAccount, plan.networkAccount, plan.sharedServices.accountId, ...plan.workloads.map((w) => w.accountId)]);
  for (const account of accounts) {
    app.node.setContext(`availability-zones:account=${account}:region=${plan.region}`, plan.availabilityZones);
  }

  const destinations = new LogArchiveDestinations({ archiveAccountId: plan.securityAccount, region: plan.region, namePrefix: plan.namePrefix });
  const archive = new ArchiveStack(app, 'Scale-Security', {
    env: env(plan.securityAccount),
    description: `Security account: central log archive for ${plan.accounts} accounts`,
    plan,
    destinations,
  });
  const hub = new HubStack(app, 'Scale-Network', {
    env: env(plan.networkAccount),
    description: 'Network account: transit gateway shared by OU, 22 segments, blackholes between environments, BGP VPNs',
    plan,
    destinations,
  });
  hub.addStackDependency(archive, 'the transit gateway flow log needs the archive bucket policy');

  const spoke = (id: string, account: string, spokeName: string, cidr: string, transitGatewayId?: string) => {
    const stack = new ScaleSpokeStack(app, id, {
      env: env(account), description: `Spoke ${spokeName} (${cidr})`, plan, destinations, spokeName, cidr, transitGatewayId,
    });
    stack.addStackDependency(hub, 'the transit gateway is shared from the Network account');
    return stack;
  };
  const networkVpc = spoke('Scale-Network-Vpc', plan.networkAccount, plan.networkVpc.name, plan.networkVpc.cidr, hub.hub.transitGatewayId);
  const securityVpc = spoke('Scale-Security-Vpc', plan.securityAccount, plan.securityVpc.name, plan.securityVpc.cidr);
  const shared = spoke('Scale-SharedServices', plan.sharedServices.accountId, plan.sharedServices.name, plan.sharedServices.cidr);
  const workloadStacks = plan.workloads.map((w) => spoke(`Scale-${w.name}`, w.accountId, w.name, w.cidr));

  const coreRouting = new CoreRoutingStack(app, 'Scale-Routing-core', {
    env: env(plan.networkAccount),
    description: 'Network account, after the core spokes: shared services, security and network VPCs in every segment',
    hub,
    lookedUp: [plan.sharedServices, plan.securityVpc],
    networkVpc: { ...plan.networkVpc, attachmentId: networkVpc.attachment.attachmentId },
  });
  for (const dependency of [hub, networkVpc, securityVpc, shared]) {
    coreRouting.addStackDependency(dependency, 'associates and propagates the core VPC attachments');
  }
  const routing: Stack[] = [coreRouting];
  for (const department of DEPARTMENTS) {
    const workloads = plan.workloads.filter((w) => w.department === department);
    if (workloads.length === 0) {
      continue;
    }
    const stack = new DepartmentRoutingStack(app, `Scale-Routing-${department}`, {
      env: env(plan.networkAccount),
      description: `Network account, after the ${department} spokes: ${workloads.length} attachments accepted, associated and propagated`,
      hub,
      workloads,
    });
    stack.addStackDependency(hub, 'fills the hub\'s segments');
    workloads.forEach((w) => stack.addStackDependency(workloadStacks[plan.workloads.indexOf(w)], 'the VPC attachment must exist'));
    routing.push(stack);
  }

  Tags.of(app).add('project', 'cdk-gov-hybrid-network-scale');
  if (options.nag ?? false) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  }
  const spokes = [networkVpc, securityVpc, shared, ...workloadStacks];
  return { app, plan, archive, hub, spokes, routing, stacks: [archive, hub, ...spokes, ...routing] };
}
