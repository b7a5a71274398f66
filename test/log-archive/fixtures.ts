import { App, Stack } from 'aws-cdk-lib';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { IConstruct } from 'constructs';
import { LogArchiveDestinations } from '../../src/log-archive';

export const SECURITY = '111111111111';
export const NETWORK = '222222222222';
export const PROD = '333333333333';
export const DEV = '444444444444';
export const REGION = 'ap-northeast-1';
export const ORG_ID = 'o-exampleorg1';

/** The shared configuration every reference stack derives the archive names from. */
export function referenceDestinations(): LogArchiveDestinations {
  return new LogArchiveDestinations({ archiveAccountId: SECURITY, region: REGION, namePrefix: 'gov-hybrid' });
}

export function newApp(): App {
  const context: { [key: string]: string[] } = {};
  for (const account of [SECURITY, NETWORK, PROD, DEV]) {
    context[`availability-zones:account=${account}:region=${REGION}`] = ['ap-northeast-1a', 'ap-northeast-1c'];
  }
  return new App({ context });
}

export function stackIn(app: App, id: string, account: string, region = REGION): Stack {
  return new Stack(app, id, { env: { account, region } });
}

/** Runs both cdk-nag packs the project requires and returns their unacknowledged findings. */
export function nagFindings(scope: IConstruct): string[] {
  const findings: string[] = [];
  for (const pack of [new AwsSolutionsChecks(), new NIST80053R5Checks()]) {
    const report = pack.validateScope(scope);
    for (const violation of report.violations) {
      for (const resource of violation.violatingResources) {
        findings.push(`${violation.ruleName} ${resource.constructPath ?? resource.resourceLogicalId ?? '?'} ${resource.locations.join(',')}`);
      }
    }
  }
  return findings;
}
