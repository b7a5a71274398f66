import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsSolutionsChecks } from 'cdk-nag';
import { acknowledgeNag } from '../../src/private/nag';

function openSecurityGroup() {
  const stack = new Stack(new App(), 'S');
  const vpc = new ec2.Vpc(stack, 'Vpc', { natGateways: 0, subnetConfiguration: [{ name: 'i', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  const sg = new ec2.SecurityGroup(stack, 'Sg', { vpc, allowAllOutbound: false });
  sg.addIngressRule(ec2.Peer.anyIpv4(), ec2.Port.tcp(22));
  return { stack, sg };
}

function ruleNames(stack: Stack): string[] {
  return new AwsSolutionsChecks().validateScope(stack).violations.map((v) => v.ruleName);
}

describe('acknowledgeNag', () => {
  test('an acknowledged finding is no longer reported, others still are', () => {
    const { stack, sg } = openSecurityGroup();
    expect(ruleNames(stack)).toContain('AwsSolutions-EC23');
    acknowledgeNag(sg, { id: 'AwsSolutions-EC23', reason: 'Test fixture: this security group is never deployed anywhere.' });
    const after = ruleNames(stack);
    expect(after).not.toContain('AwsSolutions-EC23');
    expect(after).toContain('AwsSolutions-VPC7');
  });

  test('rejects malformed rule IDs and vague reasons', () => {
    const { sg } = openSecurityGroup();
    expect(() => acknowledgeNag(sg, { id: 'EC23', reason: 'Test fixture: this security group is never deployed.' }))
      .toThrow('cdk-nag rule ID "EC23" at S/Sg is malformed; use e.g. AwsSolutions-IAM4 or AwsSolutions-IAM5[Resource::*].');
    expect(() => acknowledgeNag(sg, { id: 'AwsSolutions-EC23', reason: 'ok' }))
      .toThrow('cdk-nag acknowledgement of AwsSolutions-EC23 at S/Sg needs a specific reason of at least 30 characters.');
  });

  test('accepts finding-level IDs of every pack the project runs', () => {
    const { sg } = openSecurityGroup();
    expect(() => acknowledgeNag(sg,
      { id: 'AwsSolutions-IAM5[Resource::*]', reason: 'DescribeTransitGatewayAttachments supports no resource-level permissions.' },
      { id: 'NIST.800.53.R5-EC2RestrictedCommonPorts', reason: 'Test fixture: this security group is never deployed anywhere.' },
    )).not.toThrow();
  });
});
