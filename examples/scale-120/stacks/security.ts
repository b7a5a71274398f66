import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CentralLogArchive, LogArchiveDestinations } from '../../../src';
import { ScalePlan } from '../config';

/** Props of the Security account's archive stack. */
export interface ArchiveStackProps extends StackProps {
  readonly plan: ScalePlan;
  readonly destinations: LogArchiveDestinations;
}

/**
 * Security account, first stack: the central log archive every account's VPC flow logs and the transit gateway flow
 * log go to. With ~120 source accounts, the log delivery statements are scoped to the organization
 * (`organizationScopedPolicies`) instead of listing every account, which keeps the bucket policy far below S3's
 * 20 KB limit.
 */
export class ArchiveStack extends Stack {
  public readonly archive: CentralLogArchive;

  constructor(scope: Construct, id: string, props: ArchiveStackProps) {
    super(scope, id, props);
    const { plan } = props;
    this.archive = new CentralLogArchive(this, 'LogArchive', {
      destinations: props.destinations,
      sourceAccounts: [
        plan.networkAccount, plan.securityAccount, plan.sharedServices.accountId, ...plan.workloads.map((w) => w.accountId),
      ],
      organizationId: plan.organizationId,
      organizationScopedPolicies: true,
    });
  }
}
