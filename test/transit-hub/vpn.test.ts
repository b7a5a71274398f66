import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { envOf, NETWORK, referenceAppOf } from './fixtures';
import { GovHybridVpnAttachment, GovHybridVpnAttachmentProps, TransitGatewayAttachmentType, VpnRouting } from '../../src/transit-hub';

const TGW = 'tgw-0123456789abcdef0';

function stackOf(): Stack {
  return new Stack(referenceAppOf(), 'Net', { env: envOf(NETWORK) });
}

function vpn(stack: Stack, props: Partial<GovHybridVpnAttachmentProps> = {}): GovHybridVpnAttachment {
  return new GovHybridVpnAttachment(stack, 'Vpn', {
    transitGatewayId: TGW,
    name: 'user-vpn',
    customerGatewayAddress: '203.0.113.10',
    onPremisesCidrs: ['172.16.0.0/16'],
    ...props,
  });
}

describe('GovHybridVpnAttachment', () => {
  test('standalone: static routing, strong tunnels, its own KMS key for the tunnel logs, the attachment looked up', () => {
    // GIVEN / WHEN
    const stack = stackOf();
    const attachment = vpn(stack);

    // THEN
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { Type: 'ipsec.1', IpAddress: '203.0.113.10', BgpAsn: 65000 });
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      TransitGatewayId: TGW,
      StaticRoutesOnly: true,
      EnableAcceleration: false,
      VpnTunnelOptionsSpecifications: [
        Match.objectLike({ IKEVersions: [{ Value: 'ikev2' }], TunnelInsideCidr: Match.absent() }),
        Match.objectLike({ IKEVersions: [{ Value: 'ikev2' }], TunnelInsideCidr: Match.absent() }),
      ],
    });
    template.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: {
        Statement: Match.arrayWith([{
          Sid: 'AllowCloudWatchLogsEncryption',
          Effect: 'Allow',
          Principal: { Service: 'logs.ap-northeast-1.amazonaws.com' },
          Action: ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:Describe*'],
          Resource: '*',
          Condition: { ArnLike: { 'kms:EncryptionContext:aws:logs:arn': { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':logs:ap-northeast-1:222222222222:log-group:*']] } } },
        }]),
      },
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    template.hasResource('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365, KmsKeyId: Match.anyValue() } });
    template.hasResourceProperties('Custom::TransitGatewayVpnAttachment', {
      Operation: 'VpnAttachment',
      Name: 'user-vpn',
      TransitGatewayId: TGW,
      VpnConnectionId: { 'Fn::GetAtt': [stack.getLogicalId(attachment.vpnConnection), 'VpnConnectionId'] },
    });
    expect(stack.resolve(attachment.attachmentId)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^VpnAttachmentLookup/), 'Id'] });
    expect(attachment.propagatesRoutes).toBe(false);
    expect(attachment.attachmentType).toBe(TransitGatewayAttachmentType.VPN);
    expect(attachment.cidrs).toEqual(['172.16.0.0/16']);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });

  test('BGP with tunnel inside CIDRs, acceleration, a 4-byte ASN and BGP logs', () => {
    const stack = stackOf();
    const attachment = vpn(stack, {
      routing: VpnRouting.BGP,
      customerGatewayAsn: 4200000001,
      tunnelInsideCidrs: ['169.254.100.0/30', '169.254.100.4/30'],
      enableAcceleration: true,
    });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('AWS::EC2::CustomerGateway', { BgpAsnExtended: 4200000001, BgpAsn: Match.absent() });
    // Tunnel and BGP logs go to the same log group, named by its ARN without the ":*" of the `Arn` attribute.
    const tunnelLogGroupArn = { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:logs:${stack.region}:${stack.account}:log-group:`, { Ref: Match.stringLikeRegexp('TunnelLogs') }]] };
    const logOptions = {
      CloudwatchLogOptions: {
        LogEnabled: true,
        LogOutputFormat: 'json',
        LogGroupArn: tunnelLogGroupArn,
        BgpLogEnabled: true,
        BgpLogOutputFormat: 'json',
        BgpLogGroupArn: tunnelLogGroupArn,
      },
    };
    template.hasResourceProperties('AWS::EC2::VPNConnection', {
      StaticRoutesOnly: false,
      EnableAcceleration: true,
      VpnTunnelOptionsSpecifications: [
        Match.objectLike({ TunnelInsideCidr: '169.254.100.0/30', LogOptions: logOptions }),
        Match.objectLike({ TunnelInsideCidr: '169.254.100.4/30', LogOptions: logOptions }),
      ],
    });
    expect(attachment.propagatesRoutes).toBe(true);
  });

  test('a given log group is used as is; no key is created and the lookup log is service-encrypted', () => {
    const stack = stackOf();
    const group = logs.LogGroup.fromLogGroupName(stack, 'Existing', 'vpn-tunnels');
    const attachment = vpn(stack, { tunnelLogGroup: group });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::KMS::Key', 0);
    template.resourceCountIs('AWS::Logs::LogGroup', 1); // the lookup function's
    expect(attachment.tunnelLogGroup).toBe(group);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });

  test('the lookup function: Node.js 24 inline handler, 15-minute timeout, a role with only its managed policy', () => {
    const stack = stackOf();
    vpn(stack);
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::Lambda::Function', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Architectures: ['arm64'],
      Handler: 'index.handler',
      Timeout: 900,
      Code: { ZipFile: Match.stringLikeRegexp("require\\('@aws-sdk/client-ec2'\\)") },
      LoggingConfig: { LogGroup: { Ref: Match.stringLikeRegexp('^GovHybridTransitResolverLogs') } },
    });
    template.hasResourceProperties('AWS::IAM::Role', {
      ManagedPolicyArns: [{ Ref: Match.stringLikeRegexp('^GovHybridTransitResolverPolicy') }],
      Policies: Match.absent(),
    });
    template.hasResourceProperties('AWS::IAM::ManagedPolicy', {
      PolicyDocument: {
        Statement: [
          { Action: ['logs:CreateLogStream', 'logs:PutLogEvents'], Effect: 'Allow', Resource: { 'Fn::GetAtt': [Match.stringLikeRegexp('^GovHybridTransitResolverLogs'), 'Arn'] } },
          { Action: 'ec2:DescribeTransitGatewayAttachments', Effect: 'Allow', Resource: '*' },
        ],
      },
    });
    // The lookup runs only after its permissions exist.
    template.hasResource('Custom::TransitGatewayVpnAttachment', { DependsOn: [Match.stringLikeRegexp('^GovHybridTransitResolverPolicy')] });
  });

  test('an empty customer gateway address', () => {
    expect(() => vpn(stackOf(), { customerGatewayAddress: '' })).toThrow([
      'Invalid GovHybridVpnAttachment props at Net/Vpn (1 problem):',
      '  - `customerGatewayAddress` "" is empty; give the public IPv4 address of the on-premises VPN device (the customer gateway), e.g. 203.0.113.10.',
    ].join('\n'));
  });

  test('malformed or private addresses, ASNs, CIDRs, tunnel inside CIDRs and names are reported together', () => {
    expect(() => vpn(stackOf(), {
      name: 'user vpn',
      customerGatewayAddress: '10.1.1.1',
      customerGatewayAsn: 0,
      onPremisesCidrs: ['172.16.0.0/12', '172.16.0.1/16', '172.16.0.0/12'],
      tunnelInsideCidrs: ['169.254.0.0/30', '169.254.10.0/29', '169.254.0.0/30'],
    })).toThrow([
      'Invalid GovHybridVpnAttachment props at Net/Vpn (10 problems):',
      '  - `name` "user vpn" is not a usable attachment name; use 1-64 letters, digits, `-` or `_`, starting with a letter or digit.',
      '  - `customerGatewayAddress` 10.1.1.1 is not a public IPv4 address; a Site-to-Site VPN over the internet terminates on the public address of the on-premises device.',
      '  - `customerGatewayAsn` 0 is not a BGP ASN; use an integer from 1 to 4294967294.',
      '  - `onPremisesCidrs[1]` 172.16.0.1/16 has host bits set; its network address is 172.16.0.0/16.',
      '  - `onPremisesCidrs[2]` 172.16.0.0/12 is listed twice; give each on-premises CIDR once.',
      '  - `tunnelInsideCidrs` ["169.254.0.0/30","169.254.10.0/29","169.254.0.0/30"] has 3 CIDRs; a VPN connection has two tunnels, give exactly two /30 CIDRs.',
      '  - `tunnelInsideCidrs[0]` 169.254.0.0/30 is reserved by AWS; choose another /30 in 169.254.0.0/16 (169.254.0.0/30-169.254.5.0/30 and 169.254.169.252/30 are reserved).',
      '  - `tunnelInsideCidrs[1]` 169.254.10.0/29 is not a /30 inside 169.254.0.0/16; tunnel inside CIDRs are /30 link-local blocks.',
      '  - `tunnelInsideCidrs[2]` 169.254.0.0/30 is reserved by AWS; choose another /30 in 169.254.0.0/16 (169.254.0.0/30-169.254.5.0/30 and 169.254.169.252/30 are reserved).',
      '  - `tunnelInsideCidrs[2]` 169.254.0.0/30 is used by both tunnels; give each tunnel its own /30.',
    ].join('\n'));
  });

  test('customer gateway ASNs AWS reserves: 7224 everywhere, 10124 in ap-northeast-1 (the stack\'s Region), 9059 only in eu-west-1', () => {
    const reserved = (asn: number, where: string) => [
      'Invalid GovHybridVpnAttachment props at Net/Vpn (1 problem):',
      `  - \`customerGatewayAsn\` ${asn} is reserved by AWS ${where}; use the device's own public ASN or a private ASN ` +
        '(64512-65534 or 4200000000-4294967294) (https://docs.aws.amazon.com/vpn/latest/s2svpn/cgw-options.html).',
    ].join('\n');
    expect(() => vpn(stackOf(), { customerGatewayAsn: 7224 })).toThrow(reserved(7224, 'in every Region'));
    expect(() => vpn(stackOf(), { customerGatewayAsn: 10124 })).toThrow(reserved(10124, 'in ap-northeast-1'));
    expect(() => vpn(stackOf(), { customerGatewayAsn: 9059 })).not.toThrow();
  });

  test('a malformed address, no on-premises CIDRs and a wrong number of tunnel CIDRs', () => {
    expect(() => vpn(stackOf(), {
      customerGatewayAddress: '203.0.113.300',
      onPremisesCidrs: [],
      tunnelInsideCidrs: ['169.254.100.0/30'],
    })).toThrow([
      'Invalid GovHybridVpnAttachment props at Net/Vpn (3 problems):',
      '  - `customerGatewayAddress` 203.0.113.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '  - `onPremisesCidrs` [] is empty; give the on-premises CIDRs behind the VPN device, e.g. 172.16.0.0/16; static routes to this VPN must lie inside them.',
      '  - `tunnelInsideCidrs` ["169.254.100.0/30"] has 1 CIDRs; a VPN connection has two tunnels, give exactly two /30 CIDRs.',
    ].join('\n'));
  });

  test('two tunnels on the same inside CIDR', () => {
    expect(() => vpn(stackOf(), { tunnelInsideCidrs: ['169.254.100.0/30', '169.254.100.0/30'] })).toThrow(
      '`tunnelInsideCidrs[1]` 169.254.100.0/30 is used by both tunnels; give each tunnel its own /30.');
  });
});
