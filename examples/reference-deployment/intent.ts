/**
 * The access boundaries of ../shared/ARCHITECTURE.md for the reference deployment, as a reachability intent:
 * the on-premises sites behind the two VPNs, the endpoints (by construct path), the flows that must work, and
 * "nothing else" with the explicit denies that matter. `npm run verify` (scripts/verify.ts) and
 * test/reachability/reference.test.ts both build it here, from the typed configuration, so that an address changed
 * in config.ts changes what is verified.
 */
import { REFERENCE_DEFAULTS, ReferenceConfig } from './config';
import {
  FlowProtocol, NetworkEndpoint, OnPremisesSite, ReachabilityIntent, ReachabilityLayer, ReachabilityModelOptions,
} from '../../src';

/** The stack IDs of app.ts: the first part of every construct path below. */
export const REFERENCE_STACK_IDS = {
  network: 'GovHybrid-Network',
  prod: 'GovHybrid-Prod',
  dev: 'GovHybrid-Dev',
} as const;

/** The on-premises site names the intent uses. */
export const SITE_NAMES = {
  users: 'users',
  backupServer: 'dc-backup-server',
  operators: 'dc-operators',
  dns: 'dc-dns',
  /** The whole DC summary (it overlaps Prod and Dev): every other DC host. */
  dataCentre: 'dc-network',
} as const;

/**
 * The on-premises sites, from the configuration: the user sites behind the user VPN; the backup server, the
 * operator terminals, the DNS servers and the whole DC summary behind the DC VPN. Each VPN is found by its customer
 * gateway address, which is what the configuration has.
 */
export function referenceSites(config: ReferenceConfig = REFERENCE_DEFAULTS): OnPremisesSite[] {
  const users = config.userSites.vpn.customerGatewayIp;
  const dc = config.dataCentre.vpn.customerGatewayIp;
  return [
    { name: SITE_NAMES.users, cidrs: [...config.userSites.cidrs], customerGatewayAddress: users },
    { name: SITE_NAMES.backupServer, cidrs: [config.dataCentre.backupServer], customerGatewayAddress: dc },
    { name: SITE_NAMES.operators, cidrs: [config.dataCentre.operatorTerminals], customerGatewayAddress: dc },
    { name: SITE_NAMES.dns, cidrs: [...config.dataCentre.dnsServers], customerGatewayAddress: dc },
    { name: SITE_NAMES.dataCentre, cidrs: [config.dataCentre.summaryCidr], customerGatewayAddress: dc },
  ];
}

/** The model options of the verification: the sites (no literal IDs to map: every ID is in the assembly). */
export function referenceModelOptions(config: ReferenceConfig = REFERENCE_DEFAULTS): ReachabilityModelOptions {
  return { onPremisesSites: referenceSites(config) };
}

/** The interface endpoints of the Network VPC (OverlappingCidrOpsAccess): intent name → construct ID. */
export const NETWORK_INTERFACE_ENDPOINTS: Readonly<Record<string, string>> = {
  ssm: 'SsmEndpoint',
  ssmmessages: 'SsmMessagesEndpoint',
  ec2messages: 'Ec2MessagesEndpoint',
  kms: 'KmsEndpoint',
  logs: 'LogsEndpoint',
};

/** The interface endpoints of each spoke VPC (IsolatedSpokeVpc): intent name suffix → construct ID. */
export const SPOKE_INTERFACE_ENDPOINTS: Readonly<Record<string, string>> = {
  'ecr-api': 'EcrApiEndpoint',
  'ecr-dkr': 'EcrDkrEndpoint',
  'logs': 'LogsEndpoint',
  'secretsmanager': 'SecretsmanagerEndpoint',
};

/** The verification of the reference deployment: the intent and the options of the model it runs against. */
export interface ReferenceVerification {
  readonly intent: ReachabilityIntent;
  readonly modelOptions: ReachabilityModelOptions;
}

/**
 * The intent of ARCHITECTURE.md for the reference deployment.
 *
 * Matrix endpoints (every ordered pair probed on tcp 22, 53, 443, 3306, 5432, 8080 and udp 53; every flow not
 * declared must be blocked): the four on-premises sites, the bastion, the Network VPC's interface endpoints, the
 * Resolver endpoints, and in Prod and Dev the ALB, the ECS service, the database and the interface endpoints, plus
 * Prod's Transfer server and dump task.
 *
 * Allowed: users → Prod/Dev ALBs 443; DC backup server → Transfer 22; DC operator terminals → the Network VPC's
 * interface endpoints 443; DC DNS servers → Resolver inbound 53 and Resolver outbound → DC DNS servers 53 (TCP and
 * UDP); bastion → Prod/Dev app 8080 and database 5432; and the internal flows the design needs: bastion → the
 * Network VPC's endpoints 443, ALB → app 8080, app → database 5432, app → its VPC's endpoints 443, dump task →
 * database 5432 and → Prod's endpoints 443.
 *
 * Denied (no packet may arrive, not even one way), at route level with VPC and subnet endpoints outside the matrix:
 * Prod ↔ Dev; users ↔ the Network VPC; users ↔ the DC; the DC (each DC site, and the whole DC summary) → Dev and →
 * every Prod subnet outside the Transfer /26; Dev → the DC; Prod → the DC operators and DNS servers (Prod answers only
 * the backup server, so rt-spoke routes its /32 and one-way packets towards it are left to the DC's firewall).
 *
 * Defence in depth: each of those route-level denies is also declared at the transit gateway layer on its own
 * (`ReachabilityLayer.TRANSIT_GATEWAY`), so a segmentation the TGW route tables should hold is a finding even while
 * the VPC route tables still hold it; Dev → the backup server is the exception (rt-spoke carries its /32 for Prod).
 * And the security groups on their own (`ReachabilityLayer.SECURITY_GROUPS`) must refuse the DC at the ALBs, and the
 * DC and the user sites at the applications and databases.
 *
 * Not denied at route level, by design: users → the Prod/Dev application and data subnets. rt-user propagates the
 * whole spoke VPCs (ARCHITECTURE.md), so users' packets reach those subnets and the security groups are the boundary;
 * the matrix proves it (users → prod-app, prod-db, dev-app, dev-db are blocked), and so do the security-group denies.
 *
 * The application (8080) and database (5432) ports are those of SecureEcsWorkload's defaults, which the reference
 * app uses; the configuration does not hold them.
 */
export function referenceVerification(config: ReferenceConfig = REFERENCE_DEFAULTS): ReferenceVerification {
  const { network: N, prod: P, dev: D } = REFERENCE_STACK_IDS;
  const intent = new ReachabilityIntent();
  const add = (name: string, endpoint: NetworkEndpoint, includeInMatrix = true) => intent.addEndpoint(name, endpoint, { includeInMatrix });
  const allow = (source: string, destination: string, ports: number[], description: string, protocol = FlowProtocol.TCP) =>
    intent.allow({ source, destination, ports, description, protocol });
  const deny = (source: string, destination: string, description: string) => intent.deny({ source, destination, description });
  // Defence in depth: the same boundary held by one layer on its own.
  const denyAt = (layer: ReachabilityLayer, source: string, destination: string, description: string) =>
    intent.deny({ source, destination, description, layer });
  const denyEverywhere = (source: string, destination: string, description: string) => {
    deny(source, destination, description);
    denyAt(ReachabilityLayer.TRANSIT_GATEWAY, source, destination, description);
  };

  // ---- on-premises sites
  add('users', NetworkEndpoint.onPremises(SITE_NAMES.users));
  add('dc-backup-server', NetworkEndpoint.onPremises(SITE_NAMES.backupServer));
  add('dc-operators', NetworkEndpoint.onPremises(SITE_NAMES.operators));
  add('dc-dns', NetworkEndpoint.onPremises(SITE_NAMES.dns));
  add('dc-network', NetworkEndpoint.onPremises(SITE_NAMES.dataCentre), false);

  // ---- Network account
  add('bastion', NetworkEndpoint.resource(`${N}/OpsAccess/Bastion`));
  for (const [name, id] of Object.entries(NETWORK_INTERFACE_ENDPOINTS)) {
    add(`network-${name}`, NetworkEndpoint.resource(`${N}/OpsAccess/${id}`));
  }
  add('resolver-in', NetworkEndpoint.resource(`${N}/Dns/InboundEndpoint`));
  add('resolver-out', NetworkEndpoint.resource(`${N}/Dns/OutboundEndpoint`));
  add('network-vpc', NetworkEndpoint.vpc(`${N}/OpsAccess/Vpc`), false);

  // ---- Prod and Dev
  const spokes = [{ env: 'prod', stack: P }, { env: 'dev', stack: D }];
  for (const { env, stack } of spokes) {
    add(`${env}-alb`, NetworkEndpoint.resource(`${stack}/App/LoadBalancer`));
    add(`${env}-app`, NetworkEndpoint.resource(`${stack}/App/Service/Service`));
    add(`${env}-db`, NetworkEndpoint.resource(`${stack}/App/Database`));
    if (env === 'prod') {
      add('prod-transfer', NetworkEndpoint.resource(`${P}/Backup/Server`));
      add('prod-dump-task', NetworkEndpoint.resource(`${P}/Backup/Schedule`));
    }
    for (const [name, id] of Object.entries(SPOKE_INTERFACE_ENDPOINTS)) {
      add(`${env}-${name}`, NetworkEndpoint.resource(`${stack}/Vpc/Resource/${id}`));
    }
    add(`${env}-vpc`, NetworkEndpoint.vpc(`${stack}/Vpc/Resource`), false);
  }
  // The Prod subnets outside the Transfer /26, one endpoint per subnet (routing and network ACLs only).
  const prodSubnets = (['tgw-attach', 'alb', 'app', 'data'] as const).flatMap((group) => {
    const cidrs = { 'tgw-attach': config.prod.transitGatewayAttachment, 'alb': config.prod.alb, 'app': config.prod.app, 'data': config.prod.data }[group];
    return cidrs.map((_cidr, i) => {
      const name = `prod-${group}-subnet-${i + 1}`;
      add(name, NetworkEndpoint.subnet(`${P}/Vpc/Resource/${group}Subnet${i + 1}`), false);
      return { name, group };
    });
  });

  // ---- allowed flows: ARCHITECTURE.md "Who uses the network"
  for (const { env } of spokes) {
    allow('users', `${env}-alb`, [443], 'city-hall staff use the applications (HTTPS to the internal ALB)');
    allow('bastion', `${env}-app`, [8080], 'operators port-forward from the bastion to the ECS tasks');
    allow('bastion', `${env}-db`, [5432], 'operators port-forward from the bastion to the database');
  }
  allow('dc-backup-server', 'prod-transfer', [22], 'the DC backup server fetches the nightly dump over SFTP');
  for (const name of Object.keys(NETWORK_INTERFACE_ENDPOINTS)) {
    allow('dc-operators', `network-${name}`, [443], 'operator terminals start Session Manager sessions through the interface endpoints');
    allow('bastion', `network-${name}`, [443], 'the SSM agent on the bastion uses the interface endpoints');
  }
  for (const protocol of [FlowProtocol.UDP, FlowProtocol.TCP]) {
    allow('dc-dns', 'resolver-in', [53], `the DC's DNS servers forward ${config.prod.zoneName} and ${config.dev.zoneName} to the Resolver`, protocol);
    allow('resolver-out', 'dc-dns', [53], `AWS forwards ${config.dataCentre.domainName} to the DC's DNS servers`, protocol);
  }
  // ---- allowed flows inside each spoke, which the design needs
  for (const { env } of spokes) {
    allow(`${env}-alb`, `${env}-app`, [8080], 'the ALB forwards to the ECS tasks');
    allow(`${env}-app`, `${env}-db`, [5432], 'the application uses its database');
    for (const name of Object.keys(SPOKE_INTERFACE_ENDPOINTS)) {
      allow(`${env}-app`, `${env}-${name}`, [443], 'the ECS tasks pull images, write logs and read secrets through the interface endpoints');
    }
  }
  allow('prod-dump-task', 'prod-db', [5432], 'the nightly logical dump reads the database');
  for (const name of Object.keys(SPOKE_INTERFACE_ENDPOINTS)) {
    allow('prod-dump-task', `prod-${name}`, [443], 'the dump task pulls its image, writes logs and reads the database secret through the interface endpoints');
  }

  // ---- denied at route level: ARCHITECTURE.md "nothing else". Each is also denied at the transit gateway on its own
  // (the segmentation of the route tables table), except Dev → the backup server: rt-spoke is shared by Prod and
  // Dev and carries the backup server's /32 for Prod, so for Dev only Dev's own VPC route tables hold that boundary.
  denyEverywhere('prod-vpc', 'dev-vpc', 'Prod and Dev never see each other');
  denyEverywhere('dev-vpc', 'prod-vpc', 'Prod and Dev never see each other');
  denyEverywhere('users', 'network-vpc', 'user sites have no route to the Network VPC');
  denyEverywhere('network-vpc', 'users', 'user sites have no route to the Network VPC');
  for (const site of ['dc-backup-server', 'dc-operators', 'dc-dns', 'dc-network']) {
    denyEverywhere('users', site, 'user sites and the DC do not reach each other through AWS');
    denyEverywhere(site, 'users', 'user sites and the DC do not reach each other through AWS');
    denyEverywhere(site, 'dev-vpc', 'the DC reaches no part of Dev');
    for (const subnet of prodSubnets) {
      denyEverywhere(site, subnet.name, `the DC reaches Prod only at the Transfer subnets ${config.prod.transferCidr}`);
    }
    if (site === 'dc-operators' || site === 'dc-dns') {
      denyEverywhere('dev-vpc', site, 'Dev never sends to the DC');
      denyEverywhere('prod-vpc', site, 'Prod sends to the DC only to answer the backup server');
    } else {
      deny('dev-vpc', site, 'Dev never sends to the DC');
    }
  }

  // ---- denied by the security groups on their own: even with a route, the ALBs admit only the user sites, and
  // the applications and databases admit neither the user sites nor the DC.
  for (const { env } of spokes) {
    denyAt(ReachabilityLayer.SECURITY_GROUPS, 'dc-network', `${env}-alb`, 'the ALB security group admits only the user sites');
    for (const target of [`${env}-app`, `${env}-db`]) {
      denyAt(ReachabilityLayer.SECURITY_GROUPS, 'users', target, 'only the ALB, the application and the bastion reach the tasks and the database');
      denyAt(ReachabilityLayer.SECURITY_GROUPS, 'dc-network', target, 'only the ALB, the application and the bastion reach the tasks and the database');
    }
  }
  return { intent, modelOptions: referenceModelOptions(config) };
}
