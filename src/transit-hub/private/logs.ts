import { RemovalPolicy } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';
import { allowCloudWatchLogsToUseKey } from '../../private/encrypted-log-group';

/**
 * A customer managed KMS key that CloudWatch Logs may use for the log groups of this account and region (VPN tunnel
 * logs, the resolver function's logs). Rotation on, retained on delete: deleting it would make the retained logs
 * unreadable.
 *
 * @see https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html
 */
export function createLogKey(scope: Construct, id: string, description: string): kms.Key {
  const key = new kms.Key(scope, id, {
    description,
    enableKeyRotation: true,
    removalPolicy: RemovalPolicy.RETAIN,
  });
  allowCloudWatchLogsToUseKey(key);
  return key;
}
