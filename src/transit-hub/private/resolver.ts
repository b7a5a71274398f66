import { CustomResource, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { createEncryptedLogGroup } from '../../private/encrypted-log-group';
import { acknowledgeNag } from '../../private/nag';
import { estimatePolicyBytes, MANAGED_POLICY_LIMIT } from '../../private/policy-size';

/**
 * The deploy-time resolver behind cross-account lookups: a spoke account finds the transit gateway shared with it,
 * and the Network account finds (and, when auto-accept is off, accepts and waits for) a spoke's VPC attachment.
 *
 * A small handler of our own instead of `AwsCustomResource`, because the failures must say what to do ("deploy the
 * spoke stack first"), acceptance must wait until the attachment is `available` before CloudFormation associates it,
 * and a missing attachment may be waited for while the spoke stack is still deploying. One function per stack; each
 * lookup adds its exact statements to the function's managed policy.
 */
export class AttachmentResolver extends Construct {
  /** The resolver of `scope`'s stack, created on first use. */
  public static of(scope: Construct, logEncryptionKey?: kms.IKey): AttachmentResolver {
    const stack = Stack.of(scope);
    const existing = stack.node.tryFindChild(RESOLVER_ID) as AttachmentResolver | undefined;
    if (existing && logEncryptionKey && existing.logEncryptionKey !== logEncryptionKey) {
      // One resolver (and one log group) per stack: a second key would be silently ignored.
      throw new Error(`The transit hub resolver of stack ${stack.stackName} already encrypts its logs with ` +
        `${existing.logEncryptionKey?.node.path ?? 'the CloudWatch Logs service key'}; give every transit hub construct ` +
        `of the stack the same \`logEncryptionKey\` (${logEncryptionKey.node.path} differs).`);
    }
    return existing ?? new AttachmentResolver(stack, RESOLVER_ID, logEncryptionKey);
  }

  /** The key of the resolver's log group, as the first construct of the stack gave it. */
  public readonly logEncryptionKey?: kms.IKey;

  public readonly function: lambda.CfnFunction;
  public readonly policy: iam.ManagedPolicy;
  public readonly logGroup: logs.LogGroup;
  private acceptStatement?: iam.PolicyStatement;

  private constructor(scope: Construct, id: string, logEncryptionKey?: kms.IKey) {
    super(scope, id);
    this.logEncryptionKey = logEncryptionKey;
    this.logGroup = logEncryptionKey
      ? createEncryptedLogGroup(this, 'Logs', { encryptionKey: logEncryptionKey, retention: logs.RetentionDays.ONE_YEAR })
      : new logs.LogGroup(this, 'Logs', { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN });
    this.policy = new iam.ManagedPolicy(this, 'Policy', {
      description: 'Transit gateway lookups of the GovHybrid transit hub resolver',
      statements: [new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn],
      })],
    });
    const role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'Runs the GovHybrid transit hub resolver (transit gateway and attachment lookups)',
      managedPolicies: [this.policy],
    });
    // The L1 function keeps the template minimal: inline code, the role and log group by reference, no extra DependsOn.
    this.function = new lambda.CfnFunction(this, 'Function', {
      runtime: lambda.Runtime.NODEJS_24_X.name,
      architectures: [lambda.Architecture.ARM_64.name],
      handler: 'index.handler',
      code: { zipFile: RESOLVER_CODE },
      // Waiting for a spoke attachment to appear and become available takes minutes; 15 minutes is Lambda's maximum.
      timeout: Duration.minutes(15).toSeconds(),
      memorySize: 256,
      role: role.roleArn,
      loggingConfig: { logGroup: this.logGroup.logGroupName },
      description: 'Resolves transit gateway and attachment IDs at deployment (cdk-gov-hybrid-network)',
    });

    // A managed policy holds 6,144 characters: fail at synthesis, with the fix, rather than at deployment.
    this.node.addValidation({
      validate: () => {
        const size = estimatePolicyBytes(this, this.policy.document);
        return size <= MANAGED_POLICY_LIMIT ? [] : [`The transit hub resolver policy of stack ${Stack.of(this).stackName} would be about ` +
          `${size} characters; IAM managed policies hold ${MANAGED_POLICY_LIMIT}, so the deployment would fail. Each spoke account ` +
          'looked up in a stack adds one attachment ARN (about 70 characters): spread the spoke lookups over more routing stacks ' +
          '(at most about 80 spoke accounts per stack).'];
      },
    });

    acknowledgeNag(this.function,
      {
        id: 'NIST.800.53.R5-LambdaConcurrency',
        reason: 'The transit hub resolver runs only during CloudFormation deployments, one invocation per lookup; reserving concurrency would take capacity from the account pool (and fails in accounts at the minimum) for no benefit.',
      },
      {
        id: 'NIST.800.53.R5-LambdaDLQ',
        reason: 'The transit hub resolver reports every failure to CloudFormation with a reason, which fails and rolls back the deployment; a dead-letter queue would hold nothing actionable.',
      },
      {
        id: 'NIST.800.53.R5-LambdaInsideVPC',
        reason: 'The transit hub resolver only calls the regional EC2 API during deployment; it has no inbound path, and the VPCs of this design deliberately have neither an EC2 API endpoint nor an internet route.',
      });
    if (!logEncryptionKey) {
      acknowledgeNag(this.logGroup, {
        id: 'NIST.800.53.R5-CloudWatchLogGroupEncrypted',
        reason: 'The transit hub resolver log group holds only lookup diagnostics (transit gateway and attachment IDs, states); CloudWatch Logs encrypts it at rest with service keys. Pass logEncryptionKey to use a customer managed key.',
      });
    }
  }

  /**
   * Adds statements to the resolver's policy (deduplicated by CDK).
   */
  public grant(...statements: iam.PolicyStatement[]): void {
    this.policy.addStatements(...statements);
  }

  /**
   * Allows `AcceptTransitGatewayVpcAttachment` on `resources`, in one statement for every lookup of the stack, so that
   * the policy grows by one ARN (about 70 characters) per spoke account rather than by a statement per lookup, with or
   * without the `@aws-cdk/aws-iam:minimizePolicies` feature flag.
   */
  public grantAccept(resources: string[]): void {
    if (!this.acceptStatement) {
      this.acceptStatement = new iam.PolicyStatement({ actions: ['ec2:AcceptTransitGatewayVpcAttachment'] });
      this.policy.addStatements(this.acceptStatement);
    }
    const known = new Set(this.acceptStatement.resources);
    this.acceptStatement.addResources(...resources.filter((r) => !known.has(r)));
  }

  /**
   * A custom resource resolved by the function. Its `Id` attribute (and physical ID) is the resolved ID.
   */
  public resolve(scope: Construct, id: string, resourceType: string, properties: Record<string, string>): CustomResource {
    const resource = new CustomResource(scope, id, {
      serviceToken: this.function.attrArn,
      resourceType,
      properties,
    });
    // The policy must be in place before the function runs.
    resource.node.addDependency(this.policy);
    return resource;
  }
}

const RESOLVER_ID = 'GovHybridTransitResolver';


/**
 * The handler, inline (no bundling, AWS SDK for JavaScript v3 from the Lambda runtime). Operations:
 * - `TransitGateway`: the one available transit gateway owned by `OwnerAccount` (shared through RAM).
 * - `VpnAttachment`: the attachment of VPN connection `VpnConnectionId` to `TransitGatewayId` (correction 2), waiting
 *   until it is `available`.
 * - `SpokeAttachment`: the one live VPC attachment of `OwnerAccount` (optionally `VpcId`) to `TransitGatewayId`,
 *   waiting up to `WaitSeconds` for it to appear; accepts it when `Accept` is `true` and it is `pendingAcceptance`;
 *   waits until it is `available`.
 * Delete does nothing: the attachment and the transit gateway belong to their own stacks.
 */
export const RESOLVER_CODE = `'use strict';
const https = require('https');
const { EC2Client, DescribeTransitGatewaysCommand, DescribeTransitGatewayAttachmentsCommand, AcceptTransitGatewayVpcAttachmentCommand } = require('@aws-sdk/client-ec2');
const ec2 = new EC2Client({});
const LIVE = ['pendingAcceptance', 'pending', 'available', 'modifying'];
const DEAD = ['rejected', 'rejecting', 'failed', 'failing', 'rollingBack', 'deleted', 'deleting'];
const POLL_MS = 15000;
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function all(Command, input, key) {
  const items = [];
  let NextToken;
  do {
    const page = await ec2.send(new Command({ ...input, NextToken }));
    items.push(...(page[key] || []));
    NextToken = page.NextToken;
  } while (NextToken);
  return items;
}

async function transitGateway(p) {
  const found = await all(DescribeTransitGatewaysCommand, { Filters: [
    { Name: 'owner-id', Values: [p.OwnerAccount] }, { Name: 'state', Values: ['available'] }] }, 'TransitGateways');
  if (found.length === 0) {
    throw new Error('No available transit gateway owned by account ' + p.OwnerAccount + ' is shared with this account. ' +
      'Deploy the Network hub stack (GovHybridTransitHub) first and include this account, its OU or the organization in its RAM share; ' +
      'outside AWS Organizations, also accept the AWS RAM invitation in this account.');
  }
  if (found.length > 1) {
    throw new Error('Account ' + p.OwnerAccount + ' shares ' + found.length + ' transit gateways with this account (' +
      found.map((t) => t.TransitGatewayId).join(', ') + '); set transitGatewayId on ' + p.Name + ' to choose one.');
  }
  return found[0].TransitGatewayId;
}

async function untilAvailable(attachment, what, context) {
  const id = attachment.TransitGatewayAttachmentId;
  while (attachment.State !== 'available') {
    if (DEAD.includes(attachment.State)) {
      throw new Error(what + ' (' + id + ') is ' + attachment.State + '; recreate it, then deploy this stack again.');
    }
    if (context.getRemainingTimeInMillis() < 60000) {
      throw new Error(what + ' (' + id + ') is still ' + attachment.State + '; deploy this stack again once it is available.');
    }
    await sleep(POLL_MS);
    const [latest] = await all(DescribeTransitGatewayAttachmentsCommand, { TransitGatewayAttachmentIds: [id] }, 'TransitGatewayAttachments');
    attachment = latest || { TransitGatewayAttachmentId: id, State: 'deleted' };
  }
  return id;
}

async function vpnAttachment(p, context) {
  const found = await all(DescribeTransitGatewayAttachmentsCommand, { Filters: [
    { Name: 'resource-id', Values: [p.VpnConnectionId] },
    { Name: 'transit-gateway-id', Values: [p.TransitGatewayId] },
    { Name: 'resource-type', Values: ['vpn'] },
    { Name: 'state', Values: LIVE }] }, 'TransitGatewayAttachments');
  if (found.length !== 1) {
    throw new Error('Expected one attachment of VPN connection ' + p.VpnConnectionId + ' (' + p.Name + ') to transit gateway ' +
      p.TransitGatewayId + ', found ' + found.length + '; check the VPN connection in the EC2 console, then deploy this stack again.');
  }
  return untilAvailable(found[0], 'VPN attachment of ' + p.Name, context);
}

async function spokeAttachment(p, context) {
  const filters = [
    { Name: 'transit-gateway-id', Values: [p.TransitGatewayId] },
    { Name: 'resource-type', Values: ['vpc'] },
    { Name: 'resource-owner-id', Values: [p.OwnerAccount] },
    { Name: 'state', Values: LIVE },
  ];
  if (p.VpcId) filters.push({ Name: 'resource-id', Values: [p.VpcId] });
  const where = 'account ' + p.OwnerAccount + (p.VpcId ? ' (VPC ' + p.VpcId + ')' : '');
  const deadline = Math.min(Date.now() + Number(p.WaitSeconds) * 1000, Date.now() + context.getRemainingTimeInMillis() - 120000);
  let found = await all(DescribeTransitGatewayAttachmentsCommand, { Filters: filters }, 'TransitGatewayAttachments');
  while (found.length === 0 && Date.now() + POLL_MS < deadline) {
    await sleep(POLL_MS);
    found = await all(DescribeTransitGatewayAttachmentsCommand, { Filters: filters }, 'TransitGatewayAttachments');
  }
  if (found.length === 0) {
    throw new Error('No VPC attachment of ' + where + ' to transit gateway ' + p.TransitGatewayId + ' was found (waited ' +
      p.WaitSeconds + ' s for one in state ' + LIVE.join('/') + '). Deploy the spoke stack first (GovHybridSpokeAttachment ' +
      p.Name + ' in account ' + p.OwnerAccount + '), then deploy this stack again.');
  }
  if (found.length > 1) {
    throw new Error(found.length + ' VPC attachments of ' + where + ' to transit gateway ' + p.TransitGatewayId + ' exist (' +
      found.map((a) => a.TransitGatewayAttachmentId + ' for ' + a.ResourceId).join(', ') + '); set vpcId on the lookup of ' + p.Name + ' to choose one.');
  }
  const attachment = found[0];
  const id = attachment.TransitGatewayAttachmentId;
  if (attachment.State === 'pendingAcceptance') {
    if (p.Accept !== 'true') {
      throw new Error('VPC attachment ' + id + ' of ' + where + ' is pendingAcceptance and this lookup may not accept it; ' +
        'accept it on the transit gateway, or let the lookup accept it (acceptAttachment).');
    }
    console.log('Accepting ' + id + ' of ' + where);
    await ec2.send(new AcceptTransitGatewayVpcAttachmentCommand({ TransitGatewayAttachmentId: id }));
  }
  return untilAvailable(attachment, 'VPC attachment of ' + where, context);
}

function respond(event, body) {
  const data = JSON.stringify(body);
  const url = new URL(event.ResponseURL);
  return new Promise((resolve, reject) => {
    const request = https.request({ hostname: url.hostname, path: url.pathname + url.search, method: 'PUT',
      headers: { 'content-type': '', 'content-length': Buffer.byteLength(data) } }, (response) => { response.resume(); response.on('end', resolve); });
    request.on('error', reject);
    request.end(data);
  });
}

exports.handler = async (event, context) => {
  let status = 'SUCCESS';
  let reason = 'OK';
  let id = event.PhysicalResourceId;
  try {
    if (event.RequestType !== 'Delete') {
      const p = event.ResourceProperties;
      if (p.Operation === 'TransitGateway') id = await transitGateway(p);
      else if (p.Operation === 'SpokeAttachment') id = await spokeAttachment(p, context);
      else if (p.Operation === 'VpnAttachment') id = await vpnAttachment(p, context);
      else throw new Error('Unknown operation ' + p.Operation);
      console.log(p.Operation + ' ' + p.Name + ' resolved to ' + id);
    }
  } catch (error) {
    status = 'FAILED';
    reason = String((error && error.message) || error).slice(0, 2000);
    console.error(reason);
  }
  await respond(event, { Status: status, Reason: reason, PhysicalResourceId: id || event.LogicalResourceId,
    StackId: event.StackId, RequestId: event.RequestId, LogicalResourceId: event.LogicalResourceId,
    Data: status === 'SUCCESS' && event.RequestType !== 'Delete' ? { Id: id } : {} });
};
`;
