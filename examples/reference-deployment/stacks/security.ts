import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { CentralLogArchive, LogArchiveDestinations } from '../../../src';
import { ReferenceConfig } from '../config';

/** Props of the Security account's stack. */
export interface SecurityStackProps extends StackProps {
  readonly config: ReferenceConfig;
  readonly destinations: LogArchiveDestinations;
  /** Name of the Network account's bastion role, which writes Session Manager logs into the archive. */
  readonly bastionRoleName: string;
}

/**
 * Security account: the central log archive every other account writes into. Deployed first, because the
 * other accounts' log deliveries check the bucket policy when they are created.
 */
export class SecurityStack extends Stack {
  public readonly archive: CentralLogArchive;

  constructor(scope: Construct, id: string, props: SecurityStackProps) {
    super(scope, id, props);
    const { accounts } = props.config;
    this.archive = new CentralLogArchive(this, 'LogArchive', {
      destinations: props.destinations,
      sourceAccounts: [accounts.network, accounts.prod, accounts.dev],
      wafLogSourceAccounts: [accounts.prod, accounts.dev],
      writerRoles: [{
        accountId: accounts.network,
        roleName: props.bastionRoleName,
        keyPrefix: props.destinations.sessionManagerLogPrefix(accounts.network),
      }],
    });
  }
}
