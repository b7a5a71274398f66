import * as iam from 'aws-cdk-lib/aws-iam';
import type { LogArchiveDestinations } from './destinations';

/** The AWS page that lists, per Region, whom an access-log bucket policy must allow to write. */
export const ELB_ACCESS_LOG_DOC = 'https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html';

// Helpers shared by the log-archive constructs; not part of the public API (not exported from index.ts).

/**
 * An identity-policy statement that allows `actions` on the archive key only when S3 in the archive Region calls KMS
 * for the log bucket, and only on the key that carries the archive alias (the key ID is unknown in other accounts).
 * @see https://docs.aws.amazon.com/kms/latest/developerguide/alias-authorization.html
 */
export function keyUseStatement(d: LogArchiveDestinations, actions: string[]): iam.PolicyStatement {
  return new iam.PolicyStatement({
    actions,
    resources: [d.keyArnPattern],
    conditions: {
      'StringEquals': {
        'kms:ViaService': d.s3ViaService,
        'kms:EncryptionContext:aws:s3:arn': d.logBucketArn,
      },
      'ForAnyValue:StringEquals': { 'kms:ResourceAliases': d.keyAliasName },
    },
  });
}

/** Checks an S3 key prefix given without leading or trailing slash. */
export function isKeyPrefix(prefix: string): boolean {
  return /^[a-zA-Z0-9!_.*'()-]+(\/[a-zA-Z0-9!_.*'()-]+)*$/.test(prefix) && !prefix.split('/').includes('AWSLogs');
}
