import { cidrProblem, Ipv4Cidr, ipv4ToNumber, isIpv4, longestPrefixMatch, numberToIpv4, overlappingPairs } from '../../src/private/cidr';

describe('isIpv4', () => {
  test.each(['0.0.0.0', '10.0.200.10', '255.255.255.255', '192.168.0.1'])('accepts %s', (value) => {
    expect(isIpv4(value)).toBe(true);
  });
  test.each(['', '10.0.0', '10.0.0.0.0', '256.0.0.1', '1.2.3.4x', '010.0.0.1', ' 10.0.0.1', '10.0.0.-1', 'a.b.c.d', '10.0.0.1/32'])(
    'rejects %j', (value) => {
      expect(isIpv4(value)).toBe(false);
    });
});

describe('address conversion', () => {
  test('round-trips the bounds and a middle value', () => {
    expect(ipv4ToNumber('0.0.0.0')).toBe(0);
    expect(ipv4ToNumber('255.255.255.255')).toBe(2 ** 32 - 1);
    expect(ipv4ToNumber('10.0.200.10')).toBe(10 * 2 ** 24 + 200 * 256 + 10);
    expect(numberToIpv4(ipv4ToNumber('172.16.5.9'))).toBe('172.16.5.9');
  });
  test('rejects malformed input', () => {
    expect(() => ipv4ToNumber('300.1.1.1')).toThrow('"300.1.1.1" is not an IPv4 address');
    expect(() => numberToIpv4(2 ** 32)).toThrow('4294967296 is outside the IPv4 address space');
    expect(() => numberToIpv4(-1)).toThrow('is outside the IPv4 address space');
  });
});

describe('cidrProblem', () => {
  test('accepts well-formed networks', () => {
    expect(cidrProblem('10.0.0.0/16')).toBeUndefined();
    expect(cidrProblem('0.0.0.0/0')).toBeUndefined();
    expect(cidrProblem('10.0.200.10/32')).toBeUndefined();
  });
  test.each([
    ['10.0.0.0/33', 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32'],
    ['10.0.0.0', 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32'],
    ['10.0.0.0/', 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32'],
    ['10.0.0.0/08', 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32'],
    ['10.0.0/16', 'is not an IPv4 CIDR; write it as a.b.c.d/n with n from 0 to 32'],
    ['10.0.1.0/16', 'has host bits set; its network address is 10.0.0.0/16'],
    ['192.168.50.17/28', 'has host bits set; its network address is 192.168.50.16/28'],
  ])('%s: %s', (value, message) => {
    expect(cidrProblem(value)).toBe(message);
  });
});

describe('Ipv4Cidr', () => {
  const prod = Ipv4Cidr.parse('10.0.0.0/18');
  const dev = Ipv4Cidr.parse('10.0.64.0/18');
  const dc = Ipv4Cidr.parse('10.0.0.0/16');

  test('size, bounds and text', () => {
    expect(prod.size).toBe(16384);
    expect(numberToIpv4(prod.last)).toBe('10.0.63.255');
    expect(prod.networkAddress).toBe('10.0.0.0');
    expect(prod.toString()).toBe('10.0.0.0/18');
    expect(Ipv4Cidr.parse('0.0.0.0/0').size).toBe(2 ** 32);
  });

  test('containment', () => {
    expect(dc.contains(prod)).toBe(true);
    expect(prod.contains(dc)).toBe(false);
    expect(prod.contains(prod)).toBe(true);
    expect(prod.contains(Ipv4Cidr.parse('10.0.20.0/26'))).toBe(true);
    expect(prod.containsAddress('10.0.200.10')).toBe(false);
    expect(dc.containsAddress('10.0.200.10')).toBe(true);
  });

  test('overlap is symmetric and excludes adjacent networks', () => {
    expect(prod.overlaps(dev)).toBe(false);
    expect(dev.overlaps(prod)).toBe(false);
    expect(dc.overlaps(dev)).toBe(true);
    expect(dev.overlaps(dc)).toBe(true);
    expect(Ipv4Cidr.parse('192.168.50.0/28').overlaps(Ipv4Cidr.parse('192.168.50.16/28'))).toBe(false);
    expect(Ipv4Cidr.parse('192.168.50.0/27').overlaps(Ipv4Cidr.parse('192.168.50.16/28'))).toBe(true);
  });

  test('equality, host parsing, offsets and splitting', () => {
    expect(Ipv4Cidr.parseHostOrCidr('10.0.200.10').equals(Ipv4Cidr.parse('10.0.200.10/32'))).toBe(true);
    expect(Ipv4Cidr.parse('192.168.60.0/28').addressAt(4)).toBe('192.168.60.4');
    expect(Ipv4Cidr.parse('192.168.60.0/28').addressAt(-2)).toBe('192.168.60.14');
    expect(() => Ipv4Cidr.parse('192.168.60.0/28').addressAt(16)).toThrow('offset 16 is outside 192.168.60.0/28');
    expect(Ipv4Cidr.parse('10.0.20.0/26').split(27).map(String)).toEqual(['10.0.20.0/27', '10.0.20.32/27']);
    expect(() => Ipv4Cidr.parse('10.0.20.0/26').split(25)).toThrow('cannot split 10.0.20.0/26 into /25 networks');
  });

  test('rejects malformed text and host bits', () => {
    expect(() => Ipv4Cidr.parse('10.0.1.0/16')).toThrow('"10.0.1.0/16" has host bits set; its network address is 10.0.0.0/16');
    expect(() => new Ipv4Cidr(ipv4ToNumber('10.0.1.0'), 16)).toThrow('10.0.1.0/16 has host bits set');
    expect(new Ipv4Cidr(ipv4ToNumber('10.0.1.0'), 16, true).toString()).toBe('10.0.0.0/16');
    expect(() => new Ipv4Cidr(0, 33)).toThrow('prefix length 33 is outside 0-32');
  });
});

describe('overlappingPairs', () => {
  test('lists every overlapping pair in input order', () => {
    const cidrs = ['10.0.0.0/18', '10.0.64.0/18', '10.0.0.0/16', '192.168.0.0/16'].map((c) => Ipv4Cidr.parse(c));
    expect(overlappingPairs(cidrs)).toEqual([[0, 2], [1, 2]]);
  });
});

describe('longestPrefixMatch', () => {
  const routes = [
    { cidr: Ipv4Cidr.parse('10.0.0.0/16'), value: 'dc-summary' },
    { cidr: Ipv4Cidr.parse('10.0.20.0/26'), value: 'transfer' },
    { cidr: Ipv4Cidr.parse('0.0.0.0/0'), value: 'default' },
    { cidr: Ipv4Cidr.parse('10.0.20.0/26'), value: 'transfer-duplicate' },
  ];
  test('picks the most specific route', () => {
    expect(longestPrefixMatch(Ipv4Cidr.parse('10.0.20.5/32'), routes)?.value).toBe('transfer');
    expect(longestPrefixMatch(Ipv4Cidr.parse('10.0.30.5/32'), routes)?.value).toBe('dc-summary');
    expect(longestPrefixMatch(Ipv4Cidr.parse('8.8.8.8/32'), routes)?.value).toBe('default');
  });
  test('a destination wider than every route matches only a route that contains it', () => {
    expect(longestPrefixMatch(Ipv4Cidr.parse('10.0.0.0/8'), routes)?.value).toBe('default');
    expect(longestPrefixMatch(Ipv4Cidr.parse('10.0.0.0/8'), routes.slice(0, 2))).toBeUndefined();
  });
});
