import { Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createEncryptedLogGroup } from './encrypted-log-group';

/** Options of `createVpcFlowLog`. */
export interface VpcFlowLogOptions {
  /** The VPC whose traffic (all of it, accepted and rejected) is logged. */
  readonly vpc: ec2.IVpc;
  /**
   * Where the records go, e.g. the Security account's log archive bucket (`ec2.FlowLogDestination.toS3(...)`).
   * @default - a CloudWatch Logs log group encrypted with `encryptionKey`, kept for `retention`, retained on delete
   */
  readonly destination?: ec2.FlowLogDestination;
  /** The key of the default log group. Required when `destination` is not given. @default - none */
  readonly encryptionKey?: kms.IKey;
  /** Retention of the default log group. @default logs.RetentionDays.ONE_YEAR */
  readonly retention?: logs.RetentionDays;
  /** How to name the VPC in the role's and the policy's descriptions, e.g. `the Network VPC`. */
  readonly vpcName: string;
}

/** What `createVpcFlowLog` built. */
export interface VpcFlowLog {
  readonly flowLog: ec2.FlowLog;
  /** The default log group, when no destination was given. */
  readonly logGroup?: logs.LogGroup;
  /** The delivery role of the default log group. */
  readonly role?: iam.Role;
  /** The delivery role's customer managed policy. */
  readonly policy?: iam.ManagedPolicy;
}

/**
 * A VPC flow log of all traffic, the same way for every VPC of the library. With `destination` (S3, e.g. the log
 * archive) the service delivers the records itself. Without it the records go to a KMS-encrypted, retained log
 * group through a delivery role:
 *
 * - the trust policy is limited to flow logs of this account (`aws:SourceAccount`) and to this account's flow log
 *   ARNs (`aws:SourceArn`), AWS's confused-deputy protection;
 * - the permissions (`logs:CreateLogStream`, `logs:PutLogEvents`, `logs:DescribeLogStreams` on the one log group)
 *   are a customer managed policy, not the inline default policy aws-cdk-lib would add (NIST 800-53 AC-6), and the
 *   role passed to the flow log is immutable so that nothing adds one later;
 * - the flow log depends on that policy: delivery starts at creation, so the role must be allowed by then.
 *
 * Construct IDs under `scope`: `FlowLog`, and for the default destination `FlowLogGroup`, `FlowLogRole`,
 * `FlowLogPolicy`.
 *
 * @see https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html
 * @see https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html
 */
export function createVpcFlowLog(scope: Construct, options: VpcFlowLogOptions): VpcFlowLog {
  if (options.destination) {
    const flowLog = new ec2.FlowLog(scope, 'FlowLog', {
      resourceType: ec2.FlowLogResourceType.fromVpc(options.vpc),
      destination: options.destination,
      trafficType: ec2.FlowLogTrafficType.ALL,
    });
    return { flowLog };
  }
  if (!options.encryptionKey) {
    throw new Error(`${scope.node.path}: a VPC flow log to CloudWatch Logs needs the encryption key of its log group.`);
  }
  const stack = Stack.of(scope);
  const logGroup = createEncryptedLogGroup(scope, 'FlowLogGroup', {
    encryptionKey: options.encryptionKey,
    retention: options.retention ?? logs.RetentionDays.ONE_YEAR,
  });
  const role = new iam.Role(scope, 'FlowLogRole', {
    assumedBy: new iam.ServicePrincipal('vpc-flow-logs.amazonaws.com', {
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: { 'aws:SourceArn': stack.formatArn({ service: 'ec2', resource: 'vpc-flow-log', resourceName: '*' }) },
      },
    }),
    description: `Lets VPC Flow Logs write the flow log group of ${options.vpcName}`,
  });
  const policy = new iam.ManagedPolicy(scope, 'FlowLogPolicy', {
    description: `Flow log delivery of ${options.vpcName} to its log group only`,
    roles: [role],
    statements: [new iam.PolicyStatement({
      actions: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
      resources: [logGroup.logGroupArn],
    })],
  });
  const flowLog = new ec2.FlowLog(scope, 'FlowLog', {
    resourceType: ec2.FlowLogResourceType.fromVpc(options.vpc),
    // aws-cdk-lib would otherwise add the same grants to the role as an inline default policy.
    destination: ec2.FlowLogDestination.toCloudWatchLogs(logGroup, role.withoutPolicyUpdates()),
    trafficType: ec2.FlowLogTrafficType.ALL,
  });
  flowLog.node.addDependency(policy);
  return { flowLog, logGroup, role, policy };
}
