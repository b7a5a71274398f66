import { App, Stack, Token } from 'aws-cdk-lib';
import { isDomainName, PropsValidator, renderValue } from '../../src/private/validation';

function scope() {
  return new Stack(new App(), 'Net');
}

describe('PropsValidator', () => {
  test('collects every problem and throws them in one error naming the construct path', () => {
    const stack = scope();
    const v = new PropsValidator('ExampleConstruct');
    v.cidr('spokes[0].cidr', '10.0.0.0/33');
    v.ipv4('dnsServers[1]', '10.0.250.300');
    v.port('targets[0].port', 70000);
    v.asn('amazonSideAsn', 65535, true);
    v.domainName('rules[0].domainName', 'bad_domain.local');
    v.accountId('accounts[0]', '1234');
    v.nonEmpty('userSiteCidrs', [], 'give at least one user-site CIDR.');
    v.integerInRange('retentionDays', 0, 1, 3650, 'a retention in days');
    expect(v.ok).toBe(false);
    expect(() => v.throwIfInvalid(stack)).toThrow([
      'Invalid ExampleConstruct props at Net (8 problems):',
      '  - `spokes[0].cidr` 10.0.0.0/33 is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32.',
      '  - `dnsServers[1]` 10.0.250.300 is not an IPv4 address; write it as a.b.c.d (each part 0-255, no leading zeros).',
      '  - `targets[0].port` 70000 is not a TCP/UDP port; use an integer from 1 to 65535.',
      '  - `amazonSideAsn` 65535 is not a private ASN; use 64512-65534 or 4200000000-4294967294.',
      '  - `rules[0].domainName` bad_domain.local is not a DNS domain name; use labels of letters, digits and hyphens separated by dots, e.g. prod.internal.',
      '  - `accounts[0]` 1234 is not an AWS account ID; use the 12 digits of the account.',
      '  - `userSiteCidrs` [] is empty; give at least one user-site CIDR.',
      '  - `retentionDays` 0 is not a retention in days; use an integer from 1 to 3650.',
    ].join('\n'));
  });

  test('says "1 problem" for a single problem', () => {
    const v = new PropsValidator('X');
    v.reportText('`a` and `b` cannot both be set; choose one.');
    expect(() => v.throwIfInvalid(scope())).toThrow('Invalid X props at Net (1 problem):\n  - `a` and `b` cannot both be set; choose one.');
  });

  test('does nothing when every value is valid', () => {
    const v = new PropsValidator('X');
    expect(v.cidr('c', '10.0.0.0/16')?.toString()).toBe('10.0.0.0/16');
    expect(v.ipv4('i', '10.0.200.10')?.toString()).toBe('10.0.200.10/32');
    expect(v.ipv4OrCidr('h', '10.0.210.0/24')?.toString()).toBe('10.0.210.0/24');
    expect(v.ipv4OrCidr('h', '10.0.210.1')?.toString()).toBe('10.0.210.1/32');
    expect(v.port('p', 443)).toBe(true);
    expect(v.asn('a', 64512, true)).toBe(true);
    expect(v.asn('a', 4200000000, true)).toBe(true);
    expect(v.asn('a', 65000, false)).toBe(true);
    expect(v.domainName('d', 'onprem.example.local.')).toBe(true);
    expect(v.accountId('a', '333333333333')).toBe(true);
    expect(v.ok).toBe(true);
    expect(() => v.throwIfInvalid(scope())).not.toThrow();
  });

  test('skips unresolved tokens instead of reporting them', () => {
    const v = new PropsValidator('X');
    expect(v.cidr('c', Token.asString({ Ref: 'Cidr' }))).toBeUndefined();
    expect(v.ipv4('i', Token.asString({ Ref: 'Ip' }))).toBeUndefined();
    expect(v.port('p', Token.asNumber({ Ref: 'Port' }))).toBe(true);
    expect(v.domainName('d', Token.asString({ Ref: 'Domain' }))).toBe(true);
    expect(v.accountId('a', Token.asString({ Ref: 'AWS::AccountId' }))).toBe(true);
    expect(v.ok).toBe(true);
  });

  test('reports a CIDR with host bits set with its network address', () => {
    const v = new PropsValidator('X');
    v.cidr('vpcCidr', '10.0.1.0/16');
    expect(v.messages).toEqual(['`vpcCidr` 10.0.1.0/16 has host bits set; its network address is 10.0.0.0/16.']);
  });

  test('public ASNs are accepted only when allowed', () => {
    const v = new PropsValidator('X');
    v.asn('customerGatewayAsn', 0, false);
    v.asn('customerGatewayAsn', 4294967295, false);
    v.asn('amazonSideAsn', 65000.5, true);
    expect(v.messages).toEqual([
      '`customerGatewayAsn` 0 is not a BGP ASN; use an integer from 1 to 4294967294.',
      '`customerGatewayAsn` 4294967295 is not a BGP ASN; use an integer from 1 to 4294967294.',
      '`amazonSideAsn` 65000.5 is not a private ASN; use 64512-65534 or 4200000000-4294967294.',
    ]);
  });
});

describe('isDomainName', () => {
  test.each(['prod.internal', 'onprem.example.local', 'a', 'x-1.y2.', 'internal'])('accepts %s', (name) => {
    expect(isDomainName(name)).toBe(true);
  });
  test.each(['', '.', 'a..b', '-a.b', 'a-.b', 'a_b.c', `${'a'.repeat(64)}.b`, `${'a.'.repeat(127)}ab`])('rejects %j', (name) => {
    expect(isDomainName(name)).toBe(false);
  });
});

describe('renderValue', () => {
  test('renders strings plainly, quotes empty or spaced ones, and JSON for the rest', () => {
    expect(renderValue('10.0.0.0/8')).toBe('10.0.0.0/8');
    expect(renderValue('')).toBe('""');
    expect(renderValue('a b')).toBe('"a b"');
    expect(renderValue(5)).toBe('5');
    expect(renderValue(['a', 'b'])).toBe('["a","b"]');
    expect(renderValue(undefined)).toBe('(undefined)');
  });
});
