import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { envOf, hubOf, NETWORK } from './fixtures';

// Seed 001: one Network routing stack looks up dozens of spoke attachments. Its resolver policy must grow by one ARN
// per spoke account, whatever the app's feature flags say (IAM managed policies hold 6,144 characters).

/** A hub and a routing stack (no minimizePolicies flag) that looks up `count` spokes of distinct accounts. */
function routingWith(count: number) {
  const app = new App();
  const network = new Stack(app, 'Network', { env: envOf(NETWORK) });
  const hub = hubOf(network);
  const segment = hub.addSegment('spokes');
  const routing = new Stack(app, 'Routing', { env: envOf(NETWORK) });
  for (let i = 0; i < count; i++) {
    const account = String(300000000000 + i);
    const spoke = hub.lookupSpokeAttachment(routing, `Spoke${i}`, {
      name: `spoke-${i}`, ownerAccount: account, cidrs: [`10.${Math.floor(i / 16)}.${(i % 16) * 16}.0/20`],
    });
    segment.associate(spoke);
  }
  return { app, routing };
}

describe('spoke lookups at scale', () => {
  test('share one accept statement that lists the hub account once and each spoke account once', () => {
    // GIVEN 60 spoke lookups in one routing stack WHEN synthesized
    const { routing } = routingWith(60);
    const policies = Object.values(Template.fromStack(routing).findResources('AWS::IAM::ManagedPolicy'));
    // THEN one managed policy with one accept statement of 61 ARNs
    expect(policies).toHaveLength(1);
    const accepts = policies[0].Properties.PolicyDocument.Statement.filter((s: any) => s.Action === 'ec2:AcceptTransitGatewayVpcAttachment');
    expect(accepts).toHaveLength(1);
    const accounts = accepts[0].Resource.map((r: any) => /:ec2:ap-northeast-1:(\d{12}):transit-gateway-attachment\/\*$/.exec(r['Fn::Join'][1][2])![1]);
    expect(accounts).toEqual([String(300000000000), NETWORK, ...Array.from({ length: 59 }, (_, i) => String(300000000001 + i))]);
  });

  test('fail synthesis, naming the fix, when one stack looks up more spokes than a managed policy can name', () => {
    // GIVEN 90 spoke lookups in one routing stack: about 90 x 70 characters of ARNs
    const { app } = routingWith(90);
    // THEN synthesis fails before the deployment would
    expect(() => app.synth()).toThrow(/\[Routing\/GovHybridTransitResolver\] The transit hub resolver policy of stack Routing would be about \d+ characters; IAM managed policies hold 6144, so the deployment would fail\. Each spoke account looked up in a stack adds one attachment ARN \(about 70 characters\): spread the spoke lookups over more routing stacks \(at most about 80 spoke accounts per stack\)\./);
  });
});
