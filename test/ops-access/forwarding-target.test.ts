import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AZS, networkStack, referenceProps } from './fixtures';
import { OverlappingCidrOpsAccess, SessionPreferencesMode } from '../../src/ops-access';

function opsWithoutTargets() {
  const stack = networkStack();
  const ops = new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({ forwardingTargets: [] }));
  return { stack, ops };
}

describe('addForwardingTarget', () => {
  test('opens the bastion egress for the port towards the CIDR and prints the exact command (seed: RDS 5432 -> local 15432)', () => {
    // GIVEN
    const { stack, ops } = opsWithoutTargets();

    // WHEN
    const target = ops.addForwardingTarget({ name: 'prod-db', host: 'db.prod.internal', port: 5432, localPort: 15432, cidr: '10.0.0.0/18' });

    // THEN
    expect(target.name).toBe('prod-db');
    expect(target.cidr).toBe('10.0.0.0/18');
    expect(target.localPort).toBe(15432);
    expect(stack.resolve(target.startSessionCommand)).toEqual({
      'Fn::Join': ['', [
        'aws ssm start-session --target ',
        { Ref: stack.getLogicalId(ops.bastion.node.defaultChild as ec2.CfnInstance) },
        ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="db.prod.internal",portNumber="5432",localPortNumber="15432" --region ap-northeast-1',
      ]],
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::SecurityGroup', {
      GroupDescription: 'Ops bastion: no inbound rule; egress to VPC endpoints, S3 and registered forwarding targets only',
      SecurityGroupEgress: [{ CidrIp: '10.0.0.0/18', Description: 'Forwarding target prod-db', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' }],
    });
    const outputs = Object.values(template.toJSON().Outputs as Record<string, { Description: string; Value: unknown }>)
      .filter((o) => o.Description.startsWith('prod-db:'));
    expect(outputs).toEqual([{
      Description: 'prod-db: forwards localhost:15432 to db.prod.internal:5432 through the ops bastion',
      Value: stack.resolve(target.startSessionCommand),
    }]);
    expect(ops.forwardingTargets).toEqual([target]);
  });

  test('an IPv4 host opens its /32 and the local port defaults to the target port', () => {
    const { stack, ops } = opsWithoutTargets();
    const target = ops.addForwardingTarget({ name: 'batch', host: '10.0.12.34', port: 5432 });
    expect(target.cidr).toBe('10.0.12.34/32');
    expect(target.localPort).toBe(5432);
    expect(stack.resolve(target.startSessionCommand)['Fn::Join'][1][2]).toBe(
      ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="10.0.12.34",portNumber="5432",localPortNumber="5432" --region ap-northeast-1');
  });

  test('a CIDR host (ECS task ENIs) opens the CIDR and puts a placeholder for the address in the command', () => {
    const { stack, ops } = opsWithoutTargets();
    const target = ops.addForwardingTarget({ name: 'dev-app', host: '10.0.64.0/18', port: 8080, localPort: 28080 });
    expect(target.cidr).toBe('10.0.64.0/18');
    expect(stack.resolve(target.startSessionCommand)['Fn::Join'][1][2]).toBe(
      ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="<address-in-10.0.64.0/18>",portNumber="8080",localPortNumber="28080" --region ap-northeast-1');
  });

  test('one egress rule per distinct CIDR and port, even when two targets share them', () => {
    const { stack, ops } = opsWithoutTargets();
    ops.addForwardingTarget({ name: 'a', host: '10.0.1.10', port: 5432, localPort: 15432, cidr: '10.0.0.0/18' });
    ops.addForwardingTarget({ name: 'b', host: '10.0.1.11', port: 5432, localPort: 15433, cidr: '10.0.0.0/18' });
    const sg = Template.fromStack(stack).findResources('AWS::EC2::SecurityGroup')[stack.getLogicalId(ops.bastionSecurityGroup.node.defaultChild as ec2.CfnSecurityGroup)];
    expect(sg.Properties.SecurityGroupEgress).toEqual([{ CidrIp: '10.0.0.0/18', Description: 'Forwarding target a', FromPort: 5432, ToPort: 5432, IpProtocol: 'tcp' }]);
  });

  test('uses the stack Region token in an environment-agnostic stack', () => {
    const stack = new Stack(new App(), 'Agnostic');
    const ops = new OverlappingCidrOpsAccess(stack, 'Ops', {
      sessionPreferences: SessionPreferencesMode.ACCOUNT_MANAGED,
      operatorTerminalCidrs: ['10.0.210.0/24'],
    });
    const target = ops.addForwardingTarget({ name: 'db', host: '10.0.12.34', port: 5432, localPort: 15432 });
    expect(stack.resolve(target.startSessionCommand)['Fn::Join'][1].slice(2)).toEqual([
      ' --document-name AWS-StartPortForwardingSessionToRemoteHost --parameters host="10.0.12.34",portNumber="5432",localPortNumber="15432" --region ',
      { Ref: 'AWS::Region' },
    ]);
  });

  test('rejects a target that clashes with one registered in props, naming the method call', () => {
    const stack = networkStack();
    const ops = new OverlappingCidrOpsAccess(stack, 'Ops', referenceProps({ availabilityZones: AZS }));
    expect(() => ops.addForwardingTarget({ name: 'prod-db', host: 'db2.prod.internal', port: 5432, localPort: 25432, cidr: '10.0.0.0/18' })).toThrow(new Error([
      'Invalid OverlappingCidrOpsAccess props at Network/Ops (2 problems):',
      '  - `addForwardingTarget(prod-db).name` prod-db is already the name of `forwardingTargets[0]`; give each forwarding target its own name.',
      '  - `addForwardingTarget(prod-db).localPort` 25432 is already the local port of `forwardingTargets[2]` (dev-db); give each forwarding target its own `localPort`.',
    ].join('\n')));
    expect(() => ops.addForwardingTarget({ name: 'stg-db', host: 'db.stg.internal', port: 5432, localPort: 35432, cidr: '10.1.0.0/18' })).toThrow(new Error([
      'Invalid OverlappingCidrOpsAccess props at Network/Ops (1 problem):',
      '  - `addForwardingTarget(stg-db).cidr` 10.1.0.0/18 lies outside the Network VPC and every spoke VPC the bastion forwards into: 192.168.0.0/16 (`vpcCidr`), 10.0.0.0/18 (`spokeVpcCidrs[0]`), 10.0.64.0/18 (`spokeVpcCidrs[1]`); add the CIDR of its spoke VPC to `spokeVpcCidrs` or correct the target (the bastion never forwards into the data centre or the user sites).',
    ].join('\n')));
    // A rejected target leaves nothing behind.
    expect(ops.forwardingTargets.map((t) => t.name)).toEqual(['prod-db', 'prod-app', 'dev-db', 'dev-app']);
  });
});
