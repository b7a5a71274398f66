import * as fs from 'fs';
import * as path from 'path';
import { App, Stack, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { loadConfig, ReferenceConfig } from './config';
import { LogArchiveDestinations } from '../../src';
import { NetworkStack } from './stacks/network';
import { NetworkSpokesStack } from './stacks/network-spokes';
import { SecurityStack } from './stacks/security';
import { SpokeStack } from './stacks/spoke';

/** Options of `createReferenceApp`. */
export interface ReferenceAppOptions {
  /** Where to write the cloud assembly. @default - the CDK CLI's choice (cdk.out) */
  readonly outdir?: string;
  /** Extra context, e.g. account overrides. Merged over cdk.json's context. @default - none */
  readonly context?: Record<string, unknown>;
  /** Environment variables read for overrides. @default process.env */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Register the cdk-nag AwsSolutions and NIST 800-53 R5 packs as synthesis validation plugins, so that
   * `cdk synth` fails on any unacknowledged finding.
   * @default true
   */
  readonly nag?: boolean;
}

/** The reference deployment: the app, its configuration and its stacks in deployment order. */
export interface ReferenceApp {
  readonly app: App;
  readonly config: ReferenceConfig;
  readonly security: SecurityStack;
  readonly network: NetworkStack;
  readonly prod: SpokeStack;
  readonly dev: SpokeStack;
  readonly networkSpokes: NetworkSpokesStack;
  /** Every stack, in deployment order. */
  readonly stacks: Stack[];
}

/** The feature flags and settings of cdk.json, so that tests synthesize exactly what the CLI does. */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(path.join(__dirname, 'cdk.json'), 'utf8')).context;
}

/**
 * Builds the four-account reference deployment of ARCHITECTURE.md: Security → Network → Prod and Dev → the
 * Network account's spoke routing. Stack dependencies encode that order; nothing references another account.
 */
export function createReferenceApp(options: ReferenceAppOptions = {}): ReferenceApp {
  const fromCli = process.env.CDK_CONTEXT_JSON !== undefined;
  const app = new App({
    outdir: options.outdir,
    // The CLI passes cdk.json's context itself; elsewhere (tests) read it here.
    context: { ...(fromCli ? {} : cdkJsonContext()), ...options.context },
  });
  const config = loadConfig(app.node, options.env ?? process.env);

  // The plan's AZs are authoritative: give every account's AZ list as context so synthesis needs no lookup.
  for (const account of Object.values(config.accounts)) {
    app.node.setContext(`availability-zones:account=${account}:region=${config.region}`, config.availabilityZones);
  }

  const env = (account: string) => ({ account, region: config.region });
  const destinations = new LogArchiveDestinations({
    archiveAccountId: config.accounts.security,
    region: config.region,
    namePrefix: config.namePrefix,
  });
  const bastionRoleName = `${config.namePrefix}-ops-bastion`;

  const security = new SecurityStack(app, 'GovHybrid-Security', {
    env: env(config.accounts.security),
    description: 'Security account: central log archive (KMS key, log buckets) for every account of the city-hall network',
    config,
    destinations,
    bastionRoleName,
  });
  const network = new NetworkStack(app, 'GovHybrid-Network', {
    env: env(config.accounts.network),
    description: 'Network account: Transit Gateway hub, VPNs, isolated Network VPC, Session Manager bastion, Route 53 Resolver hub',
    config,
    destinations,
    bastionRoleName,
  });
  network.addStackDependency(security, 'log deliveries need the archive bucket policy');

  const spoke = (id: string, account: string, description: string, plan: ReferenceConfig['prod'] | ReferenceConfig['dev'],
    backup?: ConstructorParameters<typeof SpokeStack>[2]['backup']) => {
    const stack = new SpokeStack(app, id, { env: env(account), description, config, destinations, spoke: plan, backup });
    stack.addStackDependency(network, 'the transit gateway and the DNS profile are shared from the Network account');
    return stack;
  };
  const prod = spoke('GovHybrid-Prod', config.accounts.prod,
    'Prod account: isolated spoke VPC, TGW attachment, internal ALB + WAF + ECS Fargate, RDS, prod.internal, SFTP backup bridge',
    config.prod, { transferCidr: config.prod.transferCidr, transfer: config.prod.transfer, plan: config.prod.backup });
  const dev = spoke('GovHybrid-Dev', config.accounts.dev,
    'Dev account: isolated spoke VPC, TGW attachment, internal ALB + WAF + ECS Fargate, RDS, dev.internal', config.dev);

  const networkSpokes = new NetworkSpokesStack(app, 'GovHybrid-NetworkSpokes', {
    env: env(config.accounts.network),
    description: 'Network account, after the spokes: accept, associate, propagate and route the Prod and Dev attachments',
    config,
    network,
  });
  networkSpokes.addStackDependency(network, 'the segments it fills are the hub\'s');
  networkSpokes.addStackDependency(prod, 'the Prod VPC attachment must exist');
  networkSpokes.addStackDependency(dev, 'the Dev VPC attachment must exist');

  Tags.of(app).add('project', 'cdk-gov-hybrid-network');
  for (const [stack, name] of [[security, 'security'], [network, 'network'], [prod, 'prod'], [dev, 'dev'], [networkSpokes, 'network']] as const) {
    Tags.of(stack).add('account-role', name);
  }

  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new NIST80053R5Checks(app));
  }
  return { app, config, security, network, prod, dev, networkSpokes, stacks: [security, network, prod, dev, networkSpokes] };
}
