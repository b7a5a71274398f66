import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as iam from 'aws-cdk-lib/aws-iam';
import { DEV, nagFindings, NETWORK, newApp, ORG_ID, PROD, referenceDestinations, SECURITY, stackIn } from './fixtures';
import { CentralLogArchive, CentralLogArchiveProps } from '../../src/log-archive';
import { estimatePolicyBytes } from '../../src/private/policy-size';

// Seed 001 scales the archive to 120 accounts: statements that list every account outgrow S3's 20 KB bucket policy.

const LOG_ARN = 'arn:aws:s3:::gov-hybrid-logs-111111111111-ap-northeast-1';
const WAF_ROLE = 'gov-hybrid-waf-log-delivery-ap-northeast-1';
const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });

/** `count` distinct placeholder account IDs. */
function accounts(count: number): string[] {
  return Array.from({ length: count }, (_, i) => String(300000000000 + i));
}

function archive(props: Partial<CentralLogArchiveProps>, app: App = newApp()) {
  const stack = stackIn(app, 'Security', SECURITY);
  const construct = new CentralLogArchive(stack, 'Archive', {
    destinations: referenceDestinations(),
    sourceAccounts: [NETWORK, PROD, DEV],
    ...props,
  });
  return { app, stack, construct };
}

function statement(template: Template, type: 'AWS::S3::BucketPolicy' | 'AWS::KMS::Key', sid: string, bucketName?: string): any {
  const resources = Object.entries(template.findResources(type)).filter(([, r]) => {
    if (!bucketName) {
      return true;
    }
    const bucketId = Object.entries(template.findResources('AWS::S3::Bucket')).find(([, b]) => b.Properties.BucketName === bucketName)![0];
    return r.Properties.Bucket.Ref === bucketId;
  });
  const statements = resources.flatMap(([, r]) => (r.Properties.PolicyDocument ?? r.Properties.KeyPolicy).Statement);
  const found = statements.filter((s: any) => s.Sid === sid);
  expect(found).toHaveLength(1);
  return found[0];
}

describe('CentralLogArchive organizationScopedPolicies', () => {
  test('scopes log delivery by organization and Region in the bucket and key policies instead of listing accounts', () => {
    // GIVEN the reference accounts, WHEN the archive is organization-scoped
    const { stack } = archive({ organizationId: ORG_ID, organizationScopedPolicies: true });
    const template = Template.fromStack(stack);
    const conditions = {
      StringEquals: { 'aws:SourceOrgID': ORG_ID },
      ArnLike: { 'aws:SourceArn': 'arn:aws:logs:ap-northeast-1:*:*' },
    };
    // THEN delivery.logs may write any account's AWSLogs path, for log sources of the organization in the Region only
    expect(statement(template, 'AWS::S3::BucketPolicy', 'LogDeliveryWrite')).toEqual({
      Sid: 'LogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [`${LOG_ARN}/AWSLogs/*/*`, `${LOG_ARN}/*/AWSLogs/*/*`],
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceOrgID': ORG_ID },
        ArnLike: conditions.ArnLike,
      },
    });
    expect(statement(template, 'AWS::S3::BucketPolicy', 'LogDeliveryAclCheck').Condition).toEqual(conditions);
    expect(statement(template, 'AWS::KMS::Key', 'LogDeliveryMayEncrypt').Condition).toEqual(conditions);
    // No source account is listed in the key or the log bucket policy any more.
    const logBucketPolicy = JSON.stringify(Object.values(template.findResources('AWS::S3::BucketPolicy'))
      .filter((p) => JSON.stringify(p).includes('LogDeliveryWrite')));
    const keyPolicy = JSON.stringify(template.findResources('AWS::KMS::Key'));
    for (const account of [NETWORK, PROD, DEV]) {
      expect(logBucketPolicy).not.toContain(account);
      expect(keyPolicy).not.toContain(account);
    }
  });

  test('keeps the per-account ALB paths, since the ELB log delivery account belongs to no organization', () => {
    const { stack } = archive({ organizationId: ORG_ID, organizationScopedPolicies: true });
    const alb = statement(Template.fromStack(stack), 'AWS::S3::BucketPolicy', 'ElbAccessLogWrite');
    expect(alb.Resource).toEqual([NETWORK, PROD, DEV].map((a) => `arn:aws:s3:::gov-hybrid-alb-logs-111111111111-ap-northeast-1/alb/*/AWSLogs/${a}/*`));
  });

  test('gives every WAF Firehose role one statement that keeps each under its own account prefix', () => {
    const { stack } = archive({
      organizationId: ORG_ID,
      organizationScopedPolicies: true,
      wafLogSourceAccounts: [PROD, DEV],
      writerRoles: [{ accountId: NETWORK, roleName: 'gov-hybrid-bastion', keyPrefix: `session-manager/${NETWORK}` }],
    });
    const template = Template.fromStack(stack);
    expect(statement(template, 'AWS::S3::BucketPolicy', 'WafDeliveryRolesPutObjects')).toEqual({
      Sid: 'WafDeliveryRolesPutObjects',
      Effect: 'Allow',
      Principal: { AWS: [root(PROD), root(DEV)] },
      Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:AbortMultipartUpload'],
      // S3 substitutes the caller's account: the role of account A cannot write under waf/B/.
      Resource: [`${LOG_ARN}/waf/\${aws:PrincipalAccount}/*`, `${LOG_ARN}/waf-errors/\${aws:PrincipalAccount}/*`],
      Condition: {
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::*:role/${WAF_ROLE}` },
        StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
      },
    });
    // Other writer roles keep a statement each, numbered from 0.
    expect(statement(template, 'AWS::S3::BucketPolicy', 'WriterRole0PutObjects').Resource).toBe(`${LOG_ARN}/session-manager/${NETWORK}/*`);
    expect(JSON.stringify(template.toJSON())).not.toContain('WriterRole1PutObjects');
    // The key and bucket-settings statements match the WAF role name in any of the listed accounts, plus the other writers.
    const keyWriters = statement(template, 'AWS::KMS::Key', 'WriterRolesMayEncryptThroughS3');
    expect(keyWriters.Condition.ArnLike).toEqual({
      'aws:PrincipalArn': [`arn:aws:iam::*:role/${WAF_ROLE}`, `arn:aws:iam::${NETWORK}:role/gov-hybrid-bastion`],
    });
    expect(keyWriters.Principal).toEqual({ AWS: [root(PROD), root(DEV), root(NETWORK)] });
  });

  test('keeps the log bucket policy of seed 001 (120 accounts, 96 with WAF) far below 20 KB', () => {
    // GIVEN 120 source accounts, 96 of them delivering WAF logs
    const sources = accounts(120);
    const { stack, construct } = archive({
      sourceAccounts: sources,
      wafLogSourceAccounts: sources.slice(0, 96),
      organizationId: ORG_ID,
      organizationScopedPolicies: true,
    });
    // WHEN synthesized THEN nothing fails, and the policies fit with room to grow
    expect(() => Template.fromStack(stack)).not.toThrow();
    const size = (bucket: any) => estimatePolicyBytes(stack, bucket.policy.document);
    expect(size(construct.logBucket)).toBeLessThan(12 * 1024);
    expect(size(construct.albLogBucket)).toBeLessThan(13 * 1024);
  });

  test('fails synthesis, naming the fix, when listing every account would exceed the bucket policy limit', () => {
    // GIVEN 120 source accounts without organization scoping
    const sources = accounts(120);
    const { app } = archive({ sourceAccounts: sources, wafLogSourceAccounts: sources.slice(0, 96), organizationId: ORG_ID });
    // THEN synthesis fails before a deployment would
    expect(() => app.synth()).toThrow(/\[Security\/Archive\] The log bucket policy of the central log archive would be about \d+\.\d KB with 120 source accounts; the limit is 20 KB and the deployment would fail\. Set `organizationScopedPolicies: true` \(with `organizationId`\) so that log delivery and WAF statements are scoped by organization instead of listing every account\./);
  });

  test('tells an organization-scoped archive that is still too large to split the accounts', () => {
    // The ALB statement lists each account (about 100 bytes each): 300 accounts exceed 20 KB even organization-scoped.
    const { app } = archive({ sourceAccounts: accounts(300), organizationId: ORG_ID, organizationScopedPolicies: true });
    expect(() => app.synth()).toThrow(/The ALB log bucket policy of the central log archive would be about \d+\.\d KB with 300 source accounts; the limit is 20 KB and the deployment would fail\. Split the source accounts over more than one archive \(one per group of OUs\), or list fewer writer and reader roles\./);
  });

  test('requires the organization ID', () => {
    expect(() => archive({ organizationScopedPolicies: true })).toThrow(
      '`organizationScopedPolicies` is set but `organizationId` is not; organization-scoped statements match aws:SourceOrgID and aws:PrincipalOrgID against it. Set `organizationId`.');
  });

  test('has no unacknowledged cdk-nag finding', () => {
    const { stack } = archive({
      organizationId: ORG_ID,
      organizationScopedPolicies: true,
      wafLogSourceAccounts: [PROD, DEV],
      readerRoleArns: ['arn:aws:iam::111111111111:role/log-reader'],
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});

describe('estimatePolicyBytes', () => {
  test('counts the compact JSON with joins resolved and the partition of the stack', () => {
    const { stack } = archive({});
    const document = new iam.PolicyDocument({
      statements: [new iam.PolicyStatement({ actions: ['s3:GetObject'], resources: [`arn:${stack.partition}:s3:::b/*`] })],
    });
    expect(estimatePolicyBytes(stack, document))
      .toBe(JSON.stringify({ Statement: [{ Action: 's3:GetObject', Effect: 'Allow', Resource: 'arn:aws:s3:::b/*' }], Version: '2012-10-17' }).length);
  });
});
