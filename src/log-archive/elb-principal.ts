/** The service principal that delivers access logs in Regions opened in or after August 2022. */
const ELB_LOG_DELIVERY_SERVICE = 'logdelivery.elasticloadbalancing.amazonaws.com';

/**
 * Regions opened before August 2022: Elastic Load Balancing writes access logs from a per-Region AWS account,
 * which the bucket policy names as principal (`arn:aws:iam::<elb-account-id>:root`).
 * Same values as aws-cdk-lib's region-info fact `elbv2Account` (a test keeps the two in step).
 */
const LEGACY_ELB_ACCOUNTS: { readonly [region: string]: string } = {
  'af-south-1': '098369216593',
  'ap-east-1': '754344448648',
  'ap-northeast-1': '582318560864',
  'ap-northeast-2': '600734575887',
  'ap-northeast-3': '383597477331',
  'ap-south-1': '718504428378',
  'ap-southeast-1': '114774131450',
  'ap-southeast-2': '783225319266',
  'ap-southeast-3': '589379963580',
  'ca-central-1': '985666609251',
  'cn-north-1': '638102146993',
  'cn-northwest-1': '037604701340',
  'eu-central-1': '054676820928',
  'eu-north-1': '897822967062',
  'eu-south-1': '635631232127',
  'eu-west-1': '156460612806',
  'eu-west-2': '652711504416',
  'eu-west-3': '009996457667',
  'me-south-1': '076674570225',
  'sa-east-1': '507241528517',
  'us-east-1': '127311923021',
  'us-east-2': '033677994240',
  'us-gov-east-1': '190560391635',
  'us-gov-west-1': '048591011584',
  'us-west-1': '027434742980',
  'us-west-2': '797873946194',
};

/** Regions opened in or after August 2022: the bucket policy names the log delivery service principal instead. */
const SERVICE_PRINCIPAL_REGIONS: readonly string[] = [
  'ap-east-2',
  'ap-south-2',
  'ap-southeast-4',
  'ap-southeast-5',
  'ap-southeast-6',
  'ap-southeast-7',
  'ca-west-1',
  'eu-central-2',
  'eu-south-2',
  'il-central-1',
  'me-central-1',
  'mx-central-1',
];

/**
 * Who Elastic Load Balancing writes Application Load Balancer access logs as, which the access-log bucket policy
 * must allow. It depends on the Region: Regions opened before August 2022 use a per-Region ELB AWS account;
 * Regions opened since use the service principal `logdelivery.elasticloadbalancing.amazonaws.com`.
 *
 * `CentralLogArchive` picks the right one for the Regions it knows; pass one of these only for a Region it does not
 * know, or to move a legacy Region to the service principal once you have checked that AWS supports it there.
 *
 * @see https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html
 */
export class ElbLogDeliveryPrincipal {
  /** The log delivery service principal `logdelivery.elasticloadbalancing.amazonaws.com`. */
  public static readonly SERVICE_PRINCIPAL = new ElbLogDeliveryPrincipal(undefined, ELB_LOG_DELIVERY_SERVICE);

  /**
   * The per-Region Elastic Load Balancing account of a Region opened before August 2022, as listed in the AWS
   * documentation (e.g. `582318560864` for ap-northeast-1).
   * @param accountId the 12-digit ELB account ID
   */
  public static legacyAccount(accountId: string): ElbLogDeliveryPrincipal {
    return new ElbLogDeliveryPrincipal(accountId, undefined);
  }

  /**
   * The principal for a Region this library knows, or undefined when the Region is not in its table.
   * @param region a Region name such as `ap-northeast-1`
   */
  public static forRegion(region: string): ElbLogDeliveryPrincipal | undefined {
    const account = LEGACY_ELB_ACCOUNTS[region];
    if (account) {
      return ElbLogDeliveryPrincipal.legacyAccount(account);
    }
    return SERVICE_PRINCIPAL_REGIONS.includes(region) ? ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL : undefined;
  }

  /** The Regions this library knows, in alphabetical order. */
  public static knownRegions(): string[] {
    return [...Object.keys(LEGACY_ELB_ACCOUNTS), ...SERVICE_PRINCIPAL_REGIONS].sort();
  }

  /** The legacy ELB account ID, or undefined when the principal is the service principal. */
  public readonly accountId?: string;

  /** The service principal name, or undefined when the principal is a legacy ELB account. */
  public readonly servicePrincipal?: string;

  private constructor(accountId: string | undefined, servicePrincipal: string | undefined) {
    this.accountId = accountId;
    this.servicePrincipal = servicePrincipal;
  }

  /** A readable form for messages and docs: the account ID or the service principal name. */
  public toString(): string {
    return this.accountId ? `AWS account ${this.accountId}` : `service principal ${this.servicePrincipal}`;
  }
}
