import * as vm from 'vm';
import { RESOLVER_CODE } from '../../src/transit-hub/private/resolver';

/**
 * Runs the resolver's inline handler offline: the AWS SDK and https are replaced by fakes that answer from a script
 * of EC2 responses and capture the response sent to CloudFormation. Polling waits 1 ms instead of 15 s.
 */
interface Call { readonly command: string; readonly input: any }
type Answer = (call: Call) => unknown;

async function run(event: Record<string, unknown>, answers: Answer[], remainingMs = 600000) {
  const calls: Call[] = [];
  let response: any;
  const command = (name: string) => class { public readonly name = name; constructor(public readonly input: unknown) {} };
  const ec2 = {
    EC2Client: class {
      async send(cmd: { name: string; input: unknown }) {
        const call = { command: cmd.name, input: cmd.input };
        calls.push(call);
        const answer = answers.shift();
        if (!answer) {
          throw new Error(`unexpected call ${cmd.name}`);
        }
        return answer(call);
      }
    },
    DescribeTransitGatewaysCommand: command('DescribeTransitGateways'),
    DescribeTransitGatewayAttachmentsCommand: command('DescribeTransitGatewayAttachments'),
    AcceptTransitGatewayVpcAttachmentCommand: command('AcceptTransitGatewayVpcAttachment'),
  };
  const https = {
    request: (_options: unknown, callback: (r: unknown) => void) => ({
      on: () => undefined,
      end: (data: string) => {
        response = JSON.parse(data);
        callback({ resume: () => undefined, on: (_event: string, done: () => void) => done() });
      },
    }),
  };
  const module = { exports: {} as { handler?: (e: unknown, c: unknown) => Promise<void> } };
  vm.runInNewContext(RESOLVER_CODE.replace('const POLL_MS = 15000;', 'const POLL_MS = 1;'), {
    require: (name: string) => (name === 'https' ? https : ec2),
    module,
    exports: module.exports,
    console: { log: () => undefined, error: () => undefined },
    setTimeout,
    Buffer,
    URL,
    Date,
    JSON,
    String,
    Number,
    Math,
    Error,
    Promise,
  });
  await module.exports.handler!({
    StackId: 'stack',
    RequestId: 'request',
    LogicalResourceId: 'Lookup',
    ResponseURL: 'https://cloudformation-custom-resource-response.example/path?sig=1',
    ...event,
  }, { getRemainingTimeInMillis: () => remainingMs });
  return { calls, response };
}

const attachments = (...items: Array<Record<string, string>>) => () => ({ TransitGatewayAttachments: items });
const spokeEvent = (props: Record<string, string> = {}) => ({
  RequestType: 'Create',
  ResourceProperties: { Operation: 'SpokeAttachment', Name: 'prod', TransitGatewayId: 'tgw-1', OwnerAccount: '333333333333', Accept: 'true', WaitSeconds: '0', ...props },
});

describe('resolver handler: shared transit gateway (spoke side)', () => {
  test('returns the one available transit gateway owned by the Network account', async () => {
    const { calls, response } = await run(
      { RequestType: 'Create', ResourceProperties: { Operation: 'TransitGateway', Name: 'prod', OwnerAccount: '222222222222' } },
      [() => ({ TransitGateways: [{ TransitGatewayId: 'tgw-1' }] })]);
    expect(calls[0]).toEqual({
      command: 'DescribeTransitGateways',
      input: {
        Filters: [
          { Name: 'owner-id', Values: ['222222222222'] }, { Name: 'state', Values: ['available'] },
        ],
        NextToken: undefined,
      },
    });
    expect(response).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-1', Data: { Id: 'tgw-1' }, RequestId: 'request' }));
  });

  test('fails with "deploy the Network hub stack first" when nothing is shared yet', async () => {
    const { response } = await run(
      { RequestType: 'Create', ResourceProperties: { Operation: 'TransitGateway', Name: 'prod', OwnerAccount: '222222222222' } },
      [() => ({ TransitGateways: [] })]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('No available transit gateway owned by account 222222222222 is shared with this account. ' +
      'Deploy the Network hub stack (GovHybridTransitHub) first and include this account, its OU or the organization in its ' +
      'RAM share; outside AWS Organizations, also accept the AWS RAM invitation in this account.');
    expect(response.PhysicalResourceId).toBe('Lookup');
  });

  test('asks for transitGatewayId when several are shared, following pagination', async () => {
    const { response } = await run(
      { RequestType: 'Create', ResourceProperties: { Operation: 'TransitGateway', Name: 'prod', OwnerAccount: '222222222222' } },
      [() => ({ TransitGateways: [{ TransitGatewayId: 'tgw-1' }], NextToken: 'n' }), () => ({ TransitGateways: [{ TransitGatewayId: 'tgw-2' }] })]);
    expect(response.Reason).toBe('Account 222222222222 shares 2 transit gateways with this account (tgw-1, tgw-2); set transitGatewayId on prod to choose one.');
  });
});

describe('resolver handler: spoke attachment (Network account)', () => {
  test('waits for the attachment to appear, accepts it, waits until available, returns its ID', async () => {
    const { calls, response } = await run(spokeEvent({ WaitSeconds: '5' }), [
      attachments(),
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pendingAcceptance', ResourceId: 'vpc-1' }),
      () => ({}),
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pending' }),
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'available' }),
    ]);
    expect(calls.map((c) => c.command)).toEqual(['DescribeTransitGatewayAttachments', 'DescribeTransitGatewayAttachments',
      'AcceptTransitGatewayVpcAttachment', 'DescribeTransitGatewayAttachments', 'DescribeTransitGatewayAttachments']);
    expect(calls[0].input.Filters).toEqual([
      { Name: 'transit-gateway-id', Values: ['tgw-1'] },
      { Name: 'resource-type', Values: ['vpc'] },
      { Name: 'resource-owner-id', Values: ['333333333333'] },
      { Name: 'state', Values: ['pendingAcceptance', 'pending', 'available', 'modifying'] },
    ]);
    expect(calls[2].input).toEqual({ TransitGatewayAttachmentId: 'tgw-attach-1' });
    expect(calls[3].input).toEqual({ TransitGatewayAttachmentIds: ['tgw-attach-1'], NextToken: undefined });
    expect(response).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-1', Data: { Id: 'tgw-attach-1' } }));
  });

  test('filters by VPC ID when given, and does not accept an available attachment', async () => {
    const { calls, response } = await run(spokeEvent({ VpcId: 'vpc-0123456789abcdef0' }), [
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'available' }),
    ]);
    expect(calls).toHaveLength(1);
    expect(calls[0].input.Filters[4]).toEqual({ Name: 'resource-id', Values: ['vpc-0123456789abcdef0'] });
    expect(response.Status).toBe('SUCCESS');
  });

  test('fails with "Deploy the spoke stack first" when no attachment exists', async () => {
    const { response } = await run(spokeEvent(), [attachments()]);
    expect(response.Status).toBe('FAILED');
    expect(response.Reason).toBe('No VPC attachment of account 333333333333 to transit gateway tgw-1 was found (waited 0 s ' +
      'for one in state pendingAcceptance/pending/available/modifying). Deploy the spoke stack first (GovHybridSpokeAttachment ' +
      'prod in account 333333333333), then deploy this stack again.');
  });

  test('asks for vpcId when the account has several attachments', async () => {
    const { response } = await run(spokeEvent(), [attachments(
      { TransitGatewayAttachmentId: 'tgw-attach-1', State: 'available', ResourceId: 'vpc-1' },
      { TransitGatewayAttachmentId: 'tgw-attach-2', State: 'available', ResourceId: 'vpc-2' })]);
    expect(response.Reason).toBe('2 VPC attachments of account 333333333333 to transit gateway tgw-1 exist (tgw-attach-1 for vpc-1, ' +
      'tgw-attach-2 for vpc-2); set vpcId on the lookup of prod to choose one.');
  });

  test('does not accept when not allowed to, and reports a rejected or slow attachment', async () => {
    const notAllowed = await run(spokeEvent({ Accept: 'false' }), [attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pendingAcceptance' })]);
    expect(notAllowed.calls.map((c) => c.command)).toEqual(['DescribeTransitGatewayAttachments']);
    expect(notAllowed.response.Reason).toBe('VPC attachment tgw-attach-1 of account 333333333333 is pendingAcceptance and this ' +
      'lookup may not accept it; accept it on the transit gateway, or let the lookup accept it (acceptAttachment).');

    const rejected = await run(spokeEvent(), [attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pending' }),
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'rejected' })]);
    expect(rejected.response.Reason).toBe('VPC attachment of account 333333333333 (tgw-attach-1) is rejected; recreate it, then deploy this stack again.');

    const rollingBack = await run(spokeEvent(), [attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pending' }),
      attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'rollingBack' })]);
    expect(rollingBack.response.Reason).toBe('VPC attachment of account 333333333333 (tgw-attach-1) is rollingBack; recreate it, then deploy this stack again.');

    const slow = await run(spokeEvent(), [attachments({ TransitGatewayAttachmentId: 'tgw-attach-1', State: 'pending' })], 30000);
    expect(slow.response.Reason).toBe('VPC attachment of account 333333333333 (tgw-attach-1) is still pending; deploy this stack again once it is available.');
  });

  test('Delete does nothing and keeps the physical ID', async () => {
    const { calls, response } = await run({ RequestType: 'Delete', PhysicalResourceId: 'tgw-attach-1', ResourceProperties: spokeEvent().ResourceProperties }, []);
    expect(calls).toEqual([]);
    expect(response).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-1', Data: {} }));
  });
});

describe('resolver handler: VPN attachment (correction 2)', () => {
  const event = { RequestType: 'Update', PhysicalResourceId: 'old', ResourceProperties: { Operation: 'VpnAttachment', Name: 'dc-vpn', VpnConnectionId: 'vpn-1', TransitGatewayId: 'tgw-1' } };

  test('finds the attachment by VPN connection, transit gateway and type', async () => {
    const { calls, response } = await run(event, [attachments({ TransitGatewayAttachmentId: 'tgw-attach-9', State: 'available' })]);
    expect(calls[0].input.Filters).toEqual([
      { Name: 'resource-id', Values: ['vpn-1'] },
      { Name: 'transit-gateway-id', Values: ['tgw-1'] },
      { Name: 'resource-type', Values: ['vpn'] },
      { Name: 'state', Values: ['pendingAcceptance', 'pending', 'available', 'modifying'] },
    ]);
    expect(response).toEqual(expect.objectContaining({ Status: 'SUCCESS', PhysicalResourceId: 'tgw-attach-9' }));
  });

  test('fails clearly when there is none', async () => {
    const { response } = await run(event, [attachments()]);
    expect(response.Reason).toBe('Expected one attachment of VPN connection vpn-1 (dc-vpn) to transit gateway tgw-1, found 0; ' +
      'check the VPN connection in the EC2 console, then deploy this stack again.');
  });

  test('rejects an unknown operation', async () => {
    const { response } = await run({ RequestType: 'Create', ResourceProperties: { Operation: 'Nope' } }, []);
    expect(response.Reason).toBe('Unknown operation Nope');
  });
});
