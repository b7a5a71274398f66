import { Fact, RegionInfo } from 'aws-cdk-lib/region-info';
import { ElbLogDeliveryPrincipal } from '../../src/log-archive';

describe('ElbLogDeliveryPrincipal', () => {
  test('uses the legacy ELB account of a Region opened before August 2022', () => {
    const tokyo = ElbLogDeliveryPrincipal.forRegion('ap-northeast-1');
    expect(tokyo?.accountId).toBe('582318560864');
    expect(tokyo?.servicePrincipal).toBeUndefined();
    expect(tokyo?.toString()).toBe('AWS account 582318560864');
    expect(ElbLogDeliveryPrincipal.forRegion('ap-northeast-3')?.accountId).toBe('383597477331');
  });

  test('uses the log delivery service principal in Regions opened since', () => {
    for (const region of ['ap-southeast-7', 'eu-central-2', 'il-central-1', 'mx-central-1']) {
      expect(ElbLogDeliveryPrincipal.forRegion(region)).toBe(ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL);
    }
    expect(ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL.servicePrincipal).toBe('logdelivery.elasticloadbalancing.amazonaws.com');
    expect(ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL.accountId).toBeUndefined();
    expect(ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL.toString()).toBe('service principal logdelivery.elasticloadbalancing.amazonaws.com');
  });

  test('knows nothing of a Region outside its table', () => {
    expect(ElbLogDeliveryPrincipal.forRegion('xx-test-1')).toBeUndefined();
    expect(ElbLogDeliveryPrincipal.legacyAccount('123456789012').accountId).toBe('123456789012');
  });

  test('agrees with the ELB accounts that aws-cdk-lib records for every Region both know', () => {
    // GIVEN aws-cdk-lib's region facts (used by ApplicationLoadBalancer.logAccessLogs)
    const mismatches: string[] = [];
    for (const region of Fact.regions) {
      const cdkAccount = RegionInfo.get(region).elbv2Account;
      const ours = ElbLogDeliveryPrincipal.forRegion(region);
      if (ours === undefined) {
        continue;
      }
      // THEN a legacy Region names the same account, and a service-principal Region has no account in aws-cdk-lib
      if (ours.accountId !== cdkAccount) {
        mismatches.push(`${region}: ours ${ours.toString()}, aws-cdk-lib ${cdkAccount}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(ElbLogDeliveryPrincipal.knownRegions()).toContain('ap-northeast-1');
    expect(ElbLogDeliveryPrincipal.knownRegions().length).toBeGreaterThanOrEqual(38);
  });
});
