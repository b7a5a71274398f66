/**
 * The typed configuration of the reference deployment: account IDs, region, availability zones and the address
 * plan of ../shared/ARCHITECTURE.md. Every value another account needs comes from here, never from a
 * cross-account CloudFormation reference (CloudFormation has none).
 *
 * Accounts, region and AZs can be overridden for a real deployment, by CDK context (`-c networkAccount=...`) or
 * by environment variable (`GOV_NETWORK_ACCOUNT=...`); context wins. See README.md "Deploying it for real".
 */

/** The four accounts of the design. */
export interface Accounts {
  readonly security: string;
  readonly network: string;
  readonly prod: string;
  readonly dev: string;
}

/** One Site-to-Site VPN: the customer gateway device and the on-premises networks behind it. */
export interface VpnSite {
  /** Public IPv4 address of the customer gateway device. Documentation range (RFC 5737) here: replace it. */
  readonly customerGatewayIp: string;
  /** BGP ASN of the customer gateway (used by AWS even for static routing). */
  readonly customerGatewayAsn: number;
}

/** The operators' data centre (DC). Its network overlaps the AWS spokes. */
export interface DataCentrePlan {
  /** The DC's own summary route; overlaps Prod and Dev on purpose. */
  readonly summaryCidr: string;
  /** The backup server, as AWS sees it (a /32). */
  readonly backupServer: string;
  /** The operators' terminals. */
  readonly operatorTerminals: string;
  /** The DC's DNS servers. */
  readonly dnsServers: string[];
  /** The on-premises domain the DC's DNS servers answer. */
  readonly domainName: string;
  readonly vpn: VpnSite;
}

/** The Network account's VPC: exact subnets, one CIDR per AZ, in the order of `availabilityZones`. */
export interface NetworkVpcPlan {
  readonly cidr: string;
  readonly bastion: string[];
  readonly endpoint: string[];
  readonly transitGatewayAttachment: string[];
  readonly resolverInbound: string[];
  readonly resolverOutbound: string[];
  /** Fixed IPs of the Route 53 Resolver inbound endpoint (one per resolver-in subnet), for the DC's forwarders. */
  readonly resolverInboundIps: string[];
}

/** A spoke (Prod or Dev) VPC: exact subnets, one CIDR per AZ. */
export interface SpokePlan {
  readonly name: string;
  readonly cidr: string;
  readonly transitGatewayAttachment: string[];
  readonly alb: string[];
  readonly app: string[];
  readonly data: string[];
  /** The private hosted zone of the spoke. */
  readonly zoneName: string;
  /**
   * ACM certificate of the spoke's internal ALB, for `app.<zone>`. Internal names cannot get a public ACM certificate:
   * issue one from AWS Private CA or import the city hall's own CA certificate into ACM, then put its ARN here (or pass
   * `-c <spoke>CertificateArn=...`). The default ARN is syntactically valid and points at nothing.
   */
  readonly certificateArn: string;
  /** Application tasks; Dev runs one. */
  readonly desiredCount: number;
  /** Multi-AZ database; off in Dev to save cost. */
  readonly multiAzDatabase: boolean;
  /** Automated database backups, in days (1-35). */
  readonly backupRetentionDays: number;
}

/** The nightly logical dump of the Prod database and its SFTP path to the DC's backup server. */
export interface BackupPlan {
  /** OpenSSH public key of the DC backup server's SFTP client. Replace it with your backup server's key. */
  readonly sshPublicKey: string;
  /** EventBridge Scheduler cron expression, evaluated in `timeZone`. */
  readonly schedule: string;
  readonly timeZone: string;
  /** How long dumps are kept in the dump bucket, in days. */
  readonly retentionDays: number;
}

/** The whole reference plan. */
export interface ReferenceConfig {
  readonly accounts: Accounts;
  readonly region: string;
  readonly availabilityZones: string[];
  /** Prefix of deterministic, cross-account names (log buckets, roles). */
  readonly namePrefix: string;
  /** Amazon-side ASN of the Transit Gateway (private range). */
  readonly transitGatewayAsn: number;
  readonly network: NetworkVpcPlan;
  readonly prod: SpokePlan & {
    /** The Transfer Family subnets: the /26 the TGW routes for the DC, as two /27s (one per AZ). */
    readonly transferCidr: string;
    readonly transfer: string[];
    readonly backup: BackupPlan;
  };
  readonly dev: SpokePlan;
  /** The spokes' summary, routed from the bastion subnets to the TGW. */
  readonly spokeSummaryCidr: string;
  readonly dataCentre: DataCentrePlan;
  /** City-hall user sites behind the user VPN. */
  readonly userSites: { readonly cidrs: string[]; readonly vpn: VpnSite };
}

/** The defaults: ARCHITECTURE.md's reference address plan and the placeholder account IDs of the issue. */
export const REFERENCE_DEFAULTS: ReferenceConfig = {
  accounts: {
    security: '111111111111',
    network: '222222222222',
    prod: '333333333333',
    dev: '444444444444',
  },
  region: 'ap-northeast-1',
  availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'],
  namePrefix: 'gov-hybrid',
  transitGatewayAsn: 64512,
  network: {
    cidr: '192.168.0.0/16',
    bastion: ['192.168.10.0/24', '192.168.11.0/24'],
    endpoint: ['192.168.20.0/28', '192.168.21.0/28'],
    transitGatewayAttachment: ['192.168.50.0/28', '192.168.50.16/28'],
    resolverInbound: ['192.168.60.0/28', '192.168.60.16/28'],
    resolverOutbound: ['192.168.61.0/28', '192.168.61.16/28'],
    resolverInboundIps: ['192.168.60.10', '192.168.60.26'],
  },
  prod: {
    name: 'prod',
    cidr: '10.0.0.0/18',
    transitGatewayAttachment: ['10.0.0.0/28', '10.0.0.16/28'],
    alb: ['10.0.1.0/24', '10.0.2.0/24'],
    app: ['10.0.10.0/24', '10.0.11.0/24'],
    data: ['10.0.30.0/24', '10.0.31.0/24'],
    transferCidr: '10.0.20.0/26',
    transfer: ['10.0.20.0/27', '10.0.20.32/27'],
    zoneName: 'prod.internal',
    certificateArn: 'arn:aws:acm:ap-northeast-1:333333333333:certificate/00000000-0000-4000-8000-000000000333',
    desiredCount: 2,
    multiAzDatabase: true,
    backupRetentionDays: 14,
    backup: {
      sshPublicKey: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEUy9qZ7dkI+IBAe67K7UoNIm4sbjcANIxgIJC02kPqz backup@dc.example',
      schedule: 'cron(0 2 * * ? *)',
      timeZone: 'Asia/Tokyo',
      retentionDays: 30,
    },
  },
  dev: {
    name: 'dev',
    cidr: '10.0.64.0/18',
    transitGatewayAttachment: ['10.0.64.0/28', '10.0.64.16/28'],
    alb: ['10.0.65.0/24', '10.0.66.0/24'],
    app: ['10.0.74.0/24', '10.0.75.0/24'],
    data: ['10.0.94.0/24', '10.0.95.0/24'],
    zoneName: 'dev.internal',
    certificateArn: 'arn:aws:acm:ap-northeast-1:444444444444:certificate/00000000-0000-4000-8000-000000000444',
    desiredCount: 1,
    multiAzDatabase: false,
    backupRetentionDays: 7,
  },
  spokeSummaryCidr: '10.0.0.0/16',
  dataCentre: {
    summaryCidr: '10.0.0.0/16',
    backupServer: '10.0.200.10/32',
    operatorTerminals: '10.0.210.0/24',
    dnsServers: ['10.0.250.10', '10.0.250.11'],
    domainName: 'onprem.example.local',
    vpn: { customerGatewayIp: '203.0.113.20', customerGatewayAsn: 65020 },
  },
  userSites: {
    cidrs: ['172.16.0.0/16'],
    vpn: { customerGatewayIp: '203.0.113.10', customerGatewayAsn: 65010 },
  },
};

/** Reads a context value or environment variable and source of an override. */
export interface OverrideSource {
  /** Returns the CDK context value for `key`, or undefined. */
  tryGetContext(key: string): unknown;
}

const OVERRIDES: Array<{ key: string; env: string; account?: keyof Accounts }> = [
  { key: 'securityAccount', env: 'GOV_SECURITY_ACCOUNT', account: 'security' },
  { key: 'networkAccount', env: 'GOV_NETWORK_ACCOUNT', account: 'network' },
  { key: 'prodAccount', env: 'GOV_PROD_ACCOUNT', account: 'prod' },
  { key: 'devAccount', env: 'GOV_DEV_ACCOUNT', account: 'dev' },
];

/**
 * The configuration with overrides applied: context (`-c networkAccount=...`, `-c region=...`,
 * `-c availabilityZones=ap-northeast-1a,ap-northeast-1c`) first, then environment variables (`GOV_NETWORK_ACCOUNT`,
 * `GOV_REGION`, `GOV_AVAILABILITY_ZONES`), then the defaults. Throws one error listing every malformed override.
 */
export function loadConfig(source: OverrideSource, env: NodeJS.ProcessEnv = process.env): ReferenceConfig {
  const problems: string[] = [];
  const read = (key: string, envName: string): string | undefined => {
    const fromContext = source.tryGetContext(key);
    if (fromContext !== undefined) {
      return String(fromContext);
    }
    return env[envName] || undefined;
  };

  const accounts: Record<keyof Accounts, string> = { ...REFERENCE_DEFAULTS.accounts };
  for (const o of OVERRIDES) {
    const value = read(o.key, o.env);
    if (value === undefined) {
      continue;
    }
    if (!/^[0-9]{12}$/.test(value)) {
      problems.push(`\`${o.key}\` (context) / ${o.env} ${value} is not an AWS account ID; use the 12 digits of the account.`);
    }
    accounts[o.account!] = value;
  }

  const region = read('region', 'GOV_REGION') ?? REFERENCE_DEFAULTS.region;
  if (!/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(region)) {
    problems.push(`\`region\` (context) / GOV_REGION ${region} is not an AWS Region code; use e.g. ap-northeast-1.`);
  }
  const azText = read('availabilityZones', 'GOV_AVAILABILITY_ZONES');
  const availabilityZones = azText ? azText.split(',').map((az) => az.trim()).filter((az) => az.length > 0) : REFERENCE_DEFAULTS.availabilityZones;
  if (availabilityZones.length !== 2 || availabilityZones.some((az) => !az.startsWith(region))) {
    problems.push(`\`availabilityZones\` (context) / GOV_AVAILABILITY_ZONES ${availabilityZones.join(',')} must name exactly two ` +
      `availability zones of ${region}, comma-separated (the address plan has one subnet per AZ and group, two AZs).`);
  }
  // A certificate given as an override is checked; the default placeholder follows the (checked) account and region.
  const certificate = (key: string, envName: string, fallback: string, account: string): string => {
    const value = read(key, envName);
    if (value === undefined) {
      return fallback.replace(/:\d{12}:/, `:${account}:`).replace(/:ap-northeast-1:/, `:${region}:`);
    }
    if (!/^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate\/[0-9a-f-]{36}$/.test(value)) {
      problems.push(`\`${key}\` (context) / ${envName} ${value} is not an ACM certificate ARN; use arn:aws:acm:<region>:<account>:certificate/<id>.`);
    }
    return value;
  };
  const prodCertificateArn = certificate('prodCertificateArn', 'GOV_PROD_CERTIFICATE_ARN', REFERENCE_DEFAULTS.prod.certificateArn, accounts.prod);
  const devCertificateArn = certificate('devCertificateArn', 'GOV_DEV_CERTIFICATE_ARN', REFERENCE_DEFAULTS.dev.certificateArn, accounts.dev);
  const distinct = new Set(Object.values(accounts));
  if (distinct.size !== 4) {
    problems.push(`the four accounts must be distinct; got security ${accounts.security}, network ${accounts.network}, prod ${accounts.prod}, dev ${accounts.dev}.`);
  }
  if (problems.length > 0) {
    throw new Error(`Invalid reference deployment configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n` +
      problems.map((p) => `  - ${p}`).join('\n'));
  }
  return {
    ...REFERENCE_DEFAULTS,
    accounts,
    region,
    availabilityZones,
    prod: { ...REFERENCE_DEFAULTS.prod, certificateArn: prodCertificateArn },
    dev: { ...REFERENCE_DEFAULTS.dev, certificateArn: devCertificateArn },
  };
}
