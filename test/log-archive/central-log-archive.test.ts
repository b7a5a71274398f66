import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { DEV, nagFindings, NETWORK, newApp, ORG_ID, PROD, REGION, referenceDestinations, SECURITY, stackIn } from './fixtures';
import {
  CentralLogArchive,
  CentralLogArchiveProps,
  ElbLogDeliveryPrincipal,
  LogArchiveDestinations,
  LogArchiveStorageClass,
} from '../../src/log-archive';

const LOG_BUCKET = 'gov-hybrid-logs-111111111111-ap-northeast-1';
const LOG_ARN = `arn:aws:s3:::${LOG_BUCKET}`;
const ALB_BUCKET = 'gov-hybrid-alb-logs-111111111111-ap-northeast-1';
const ALB_ARN = `arn:aws:s3:::${ALB_BUCKET}`;
const ACCESS_BUCKET = 'gov-hybrid-s3-access-logs-111111111111-ap-northeast-1';
const SOURCES = [NETWORK, PROD, DEV];
const READER = 'arn:aws:iam::111111111111:role/log-reader';

/** The reference deployment's Security stack configuration. */
function referenceProps(): CentralLogArchiveProps {
  return {
    destinations: referenceDestinations(),
    sourceAccounts: SOURCES,
    organizationId: ORG_ID,
    wafLogSourceAccounts: [PROD, DEV],
    writerRoles: [{ accountId: NETWORK, roleName: 'gov-hybrid-bastion', keyPrefix: `session-manager/${NETWORK}` }],
    readerRoleArns: [READER],
  };
}

function archive(props: Partial<CentralLogArchiveProps> = {}) {
  const stack = stackIn(newApp(), 'Security', SECURITY);
  const construct = new CentralLogArchive(stack, 'Archive', { destinations: referenceDestinations(), sourceAccounts: SOURCES, ...props });
  return { stack, construct, template: Template.fromStack(stack) };
}

function throwsFor(props: Partial<CentralLogArchiveProps>, region = REGION) {
  const stack = stackIn(newApp(), 'Security', SECURITY, region);
  const destinations = props.destinations ?? new LogArchiveDestinations({ archiveAccountId: SECURITY, region, namePrefix: 'gov-hybrid' });
  return () => new CentralLogArchive(stack, 'Archive', { destinations, sourceAccounts: SOURCES, ...props });
}

function logicalIdOfBucket(t: Template, name: string): string {
  const found = Object.entries(t.findResources('AWS::S3::Bucket')).find(([, r]) => r.Properties.BucketName === name);
  if (!found) {
    throw new Error(`no bucket ${name}`);
  }
  return found[0];
}

/** The statements of the bucket policy of the bucket named `name`. */
function bucketStatements(t: Template, name: string): any[] {
  const id = logicalIdOfBucket(t, name);
  const policies = Object.values(t.findResources('AWS::S3::BucketPolicy')).filter((p) => p.Properties.Bucket.Ref === id);
  expect(policies).toHaveLength(1);
  return policies[0].Properties.PolicyDocument.Statement;
}

function bySid(statements: any[], sid: string): any {
  const found = statements.filter((s) => s.Sid === sid);
  expect(found).toHaveLength(1);
  return found[0];
}

function keyStatements(t: Template): any[] {
  const keys = Object.values(t.findResources('AWS::KMS::Key'));
  expect(keys).toHaveLength(1);
  return keys[0].Properties.KeyPolicy.Statement;
}

const root = (account: string) => ({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]] });

describe('CentralLogArchive KMS key', () => {
  test('is a rotated customer managed key with the shared alias, retained on delete', () => {
    const { template } = archive();
    template.hasResource('AWS::KMS::Key', {
      Properties: { EnableKeyRotation: true, PendingWindowInDays: 30 },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResourceProperties('AWS::KMS::Alias', { AliasName: 'alias/gov-hybrid-log-archive' });
  });

  test('lets the account administer the key but not encrypt, decrypt or grant', () => {
    const { template } = archive();
    const admin = bySid(keyStatements(template), 'KeyAdministrationWithoutCryptography');
    expect(admin.Principal).toEqual({ AWS: root(SECURITY) });
    expect(admin.Action).toEqual(expect.arrayContaining(['kms:PutKeyPolicy', 'kms:ScheduleKeyDeletion', 'kms:EnableKeyRotation', 'kms:DescribeKey']));
    for (const action of admin.Action as string[]) {
      expect(action).not.toMatch(/\*|Encrypt|Decrypt|GenerateDataKey|ReEncrypt|CreateGrant/);
    }
  });

  test('lets the log delivery service encrypt only for the source accounts', () => {
    const { template } = archive();
    expect(bySid(keyStatements(template), 'LogDeliveryMayEncrypt')).toEqual({
      Sid: 'LogDeliveryMayEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['kms:Encrypt', 'kms:Decrypt', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'],
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceAccount': SOURCES },
        ArnLike: {
          'aws:SourceArn': [
            'arn:aws:logs:ap-northeast-1:222222222222:*',
            'arn:aws:logs:ap-northeast-1:333333333333:*',
            'arn:aws:logs:ap-northeast-1:444444444444:*',
          ],
        },
      },
    });
  });

  test('has no statement for writer roles, readers or CloudTrail unless asked', () => {
    const { template } = archive();
    expect(keyStatements(template).map((s) => s.Sid)).toEqual(['KeyAdministrationWithoutCryptography', 'LogDeliveryMayEncrypt']);
  });

  test('lets the named writer roles encrypt and the named readers decrypt, only through S3 for the log bucket', () => {
    const { template } = archive(referenceProps());
    const statements = keyStatements(template);
    expect(bySid(statements, 'WriterRolesMayEncryptThroughS3')).toEqual({
      Sid: 'WriterRolesMayEncryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: [root(PROD), root(DEV), root(NETWORK)] },
      Action: ['kms:GenerateDataKey', 'kms:Decrypt'],
      Resource: '*',
      Condition: {
        ArnLike: {
          'aws:PrincipalArn': [
            'arn:aws:iam::333333333333:role/gov-hybrid-waf-log-delivery-ap-northeast-1',
            'arn:aws:iam::444444444444:role/gov-hybrid-waf-log-delivery-ap-northeast-1',
            'arn:aws:iam::222222222222:role/gov-hybrid-bastion',
          ],
        },
        StringEquals: {
          'kms:ViaService': 's3.ap-northeast-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': LOG_ARN,
          'aws:PrincipalOrgID': ORG_ID,
        },
      },
    });
    expect(bySid(statements, 'ReaderRolesMayDecryptThroughS3')).toEqual({
      Sid: 'ReaderRolesMayDecryptThroughS3',
      Effect: 'Allow',
      Principal: { AWS: root(SECURITY) },
      Action: 'kms:Decrypt',
      Resource: '*',
      Condition: {
        ArnEquals: { 'aws:PrincipalArn': [READER] },
        StringEquals: {
          'kms:ViaService': 's3.ap-northeast-1.amazonaws.com',
          'kms:EncryptionContext:aws:s3:arn': LOG_ARN,
          'aws:PrincipalOrgID': ORG_ID,
        },
      },
    });
    // No other role or person gets a decrypting statement (the log delivery service's is bound to the source accounts).
    const decrypting = statements.filter((s) => [s.Action].flat().some((a: string) => a.includes('Decrypt')));
    expect(decrypting.map((s) => s.Sid)).toEqual(['LogDeliveryMayEncrypt', 'WriterRolesMayEncryptThroughS3', 'ReaderRolesMayDecryptThroughS3']);
    expect(decrypting.filter((s) => s.Principal.AWS).every((s) => (s.Condition.ArnEquals ?? s.Condition.ArnLike)['aws:PrincipalArn'] && s.Condition.StringEquals['kms:ViaService'])).toBe(true);
  });
});

describe('CentralLogArchive buckets', () => {
  test('creates the three buckets with the shared names, encryption, public access block, versioning and retention', () => {
    const { template } = archive();
    template.resourceCountIs('AWS::S3::Bucket', 3);
    const common = {
      PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
      VersioningConfiguration: { Status: 'Enabled' },
      OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
    };
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        ...common,
        BucketName: LOG_BUCKET,
        BucketEncryption: {
          ServerSideEncryptionConfiguration: [{
            BucketKeyEnabled: true,
            ServerSideEncryptionByDefault: { SSEAlgorithm: 'aws:kms', KMSMasterKeyID: { 'Fn::GetAtt': [Match.stringLikeRegexp('ArchiveKey'), 'Arn'] } },
          }],
        },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOfBucket(template, ACCESS_BUCKET) }, LogFilePrefix: 'log-bucket/' },
      },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        ...common,
        BucketName: ALB_BUCKET,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: { DestinationBucketName: { Ref: logicalIdOfBucket(template, ACCESS_BUCKET) }, LogFilePrefix: 'alb-log-bucket/' },
      },
      DeletionPolicy: 'Retain',
    });
    template.hasResource('AWS::S3::Bucket', {
      Properties: {
        ...common,
        BucketName: ACCESS_BUCKET,
        BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
        LoggingConfiguration: Match.absent(),
      },
      DeletionPolicy: 'Retain',
    });
  });

  test('denies plain HTTP and TLS below 1.2 on every bucket', () => {
    const { template } = archive();
    for (const name of [LOG_BUCKET, ALB_BUCKET, ACCESS_BUCKET]) {
      const denies = bucketStatements(template, name).filter((s) => s.Effect === 'Deny' && s.Action === 's3:*');
      expect(denies.map((s) => s.Condition)).toEqual([
        { Bool: { 'aws:SecureTransport': 'false' } },
        { NumericLessThan: { 's3:TlsVersion': 1.2 } },
      ]);
    }
  });

  test('moves logs to Glacier Flexible Retrieval after 90 days and never expires them by default', () => {
    const { template } = archive();
    for (const name of [LOG_BUCKET, ALB_BUCKET, ACCESS_BUCKET]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        LifecycleConfiguration: {
          Rules: [
            {
              Id: 'archive-logs',
              Status: 'Enabled',
              Transitions: [{ StorageClass: 'GLACIER', TransitionInDays: 90 }],
              ExpirationInDays: Match.absent(),
              NoncurrentVersionExpiration: { NoncurrentDays: 90 },
              AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
            },
            { Id: 'remove-expired-delete-markers', Status: 'Enabled', ExpiredObjectDeleteMarker: true },
          ],
        },
      });
    }
  });

  test('applies a configured lifecycle', () => {
    const { template } = archive({
      transitionAfterDays: 30,
      transitionStorageClass: LogArchiveStorageClass.DEEP_ARCHIVE,
      expireAfterDays: 3650,
      noncurrentVersionExpireAfterDays: 14,
    });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: LOG_BUCKET,
      LifecycleConfiguration: {
        Rules: Match.arrayWith([Match.objectLike({
          Transitions: [{ StorageClass: 'DEEP_ARCHIVE', TransitionInDays: 30 }],
          ExpirationInDays: 3650,
          NoncurrentVersionExpiration: { NoncurrentDays: 14 },
        })]),
      },
    });
  });

  test('warns when objects would be deleted before the storage class minimum duration', () => {
    const { stack } = archive({ transitionAfterDays: 90, expireAfterDays: 120, transitionStorageClass: LogArchiveStorageClass.DEEP_ARCHIVE });
    Annotations.fromStack(stack).hasWarning('/Security/Archive', Match.stringLikeRegexp(
      '^Log objects expire 30 days after moving to DEEP_ARCHIVE, which bills a minimum of 180 days; raise expireAfterDays'));
  });

  test('applies Object Lock to the two log buckets but not to the server-access-log bucket', () => {
    const { template } = archive({ objectLock: { mode: s3.ObjectLockMode.COMPLIANCE, retentionDays: 365 } });
    for (const name of [LOG_BUCKET, ALB_BUCKET]) {
      template.hasResourceProperties('AWS::S3::Bucket', {
        BucketName: name,
        ObjectLockEnabled: true,
        ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'COMPLIANCE', Days: 365 } } },
      });
    }
    template.hasResourceProperties('AWS::S3::Bucket', { BucketName: ACCESS_BUCKET, ObjectLockEnabled: Match.absent(), ObjectLockConfiguration: Match.absent() });
  });

  test('uses GOVERNANCE mode when asked', () => {
    const { template } = archive({ objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retentionDays: 30 } });
    template.hasResourceProperties('AWS::S3::Bucket', {
      BucketName: LOG_BUCKET,
      ObjectLockConfiguration: { ObjectLockEnabled: 'Enabled', Rule: { DefaultRetention: { Mode: 'GOVERNANCE', Days: 30 } } },
    });
  });
});

describe('CentralLogArchive bucket policies', () => {
  test('let the log delivery service write only under each source account\'s AWSLogs path', () => {
    const { template } = archive();
    const statements = bucketStatements(template, LOG_BUCKET);
    const sourceArns = SOURCES.map((a) => `arn:aws:logs:ap-northeast-1:${a}:*`);
    expect(bySid(statements, 'LogDeliveryWrite')).toEqual({
      Sid: 'LogDeliveryWrite',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: SOURCES.flatMap((a) => [`${LOG_ARN}/AWSLogs/${a}/*`, `${LOG_ARN}/*/AWSLogs/${a}/*`]),
      Condition: {
        StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceAccount': SOURCES },
        ArnLike: { 'aws:SourceArn': sourceArns },
      },
    });
    expect(bySid(statements, 'LogDeliveryAclCheck')).toEqual({
      Sid: 'LogDeliveryAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'delivery.logs.amazonaws.com' },
      Action: ['s3:GetBucketAcl', 's3:ListBucket'],
      Resource: LOG_ARN,
      Condition: { StringEquals: { 'aws:SourceAccount': SOURCES }, ArnLike: { 'aws:SourceArn': sourceArns } },
    });
  });

  test('deny objects encrypted with another key or without KMS', () => {
    const { template } = archive();
    const statements = bucketStatements(template, LOG_BUCKET);
    const keyId = Object.keys(template.findResources('AWS::KMS::Key'))[0];
    expect(bySid(statements, 'DenyOtherKmsKeys')).toEqual({
      Sid: 'DenyOtherKmsKeys',
      Effect: 'Deny',
      Principal: { AWS: '*' },
      Action: 's3:PutObject',
      Resource: `${LOG_ARN}/*`,
      Condition: { StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption-aws-kms-key-id': { 'Fn::GetAtt': [keyId, 'Arn'] } } },
    });
    expect(bySid(statements, 'DenyEncryptionOtherThanKms').Condition).toEqual({
      StringNotEqualsIfExists: { 's3:x-amz-server-side-encryption': 'aws:kms' },
    });
  });

  test('let each WAF Firehose role and writer role put objects only under its own prefix', () => {
    const { template } = archive(referenceProps());
    const statements = bucketStatements(template, LOG_BUCKET);
    const writer = (sid: string, account: string, roleName: string, prefixes: string[]) => expect(bySid(statements, sid)).toEqual({
      Sid: sid,
      Effect: 'Allow',
      Principal: { AWS: root(account) },
      Action: ['s3:PutObject', 's3:PutObjectAcl', 's3:AbortMultipartUpload'],
      Resource: prefixes.length === 1 ? `${LOG_ARN}/${prefixes[0]}/*` : prefixes.map((p) => `${LOG_ARN}/${p}/*`),
      Condition: {
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/${roleName}` },
        StringEquals: { 'aws:PrincipalOrgID': ORG_ID },
      },
    });
    writer('WriterRole0PutObjects', PROD, 'gov-hybrid-waf-log-delivery-ap-northeast-1', [`waf/${PROD}`, `waf-errors/${PROD}`]);
    writer('WriterRole1PutObjects', DEV, 'gov-hybrid-waf-log-delivery-ap-northeast-1', [`waf/${DEV}`, `waf-errors/${DEV}`]);
    writer('WriterRole2PutObjects', NETWORK, 'gov-hybrid-bastion', [`session-manager/${NETWORK}`]);
    expect(bySid(statements, 'WriterRolesReadBucketSettings')).toMatchObject({
      Action: ['s3:GetBucketLocation', 's3:GetEncryptionConfiguration', 's3:ListBucketMultipartUploads'],
      Resource: LOG_ARN,
    });
    // Writers cannot read back.
    const readers = statements.filter((s) => [s.Action].flat().includes('s3:GetObject'));
    expect(readers.map((s) => s.Sid)).toEqual(['ReaderRolesRead']);
  });

  test('match a CloudFormation-generated writer role name with a trailing wildcard, never a bare one', () => {
    const { template } = archive({
      writerRoles: [{ accountId: NETWORK, roleName: 'Network-OpsAccessBastionRole*', keyPrefix: `session-manager/${NETWORK}` }],
    });
    expect(bySid(bucketStatements(template, LOG_BUCKET), 'WriterRole0PutObjects').Condition)
      .toEqual({ ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${NETWORK}:role/Network-OpsAccessBastionRole*` } });
    expect(throwsFor({ writerRoles: [{ accountId: NETWORK, roleName: '*', keyPrefix: 'session-manager' }] }))
      .toThrow('`writerRoles[0].roleName` * is not an IAM role name;');
  });

  test('let the readers read all three buckets', () => {
    const { template } = archive(referenceProps());
    for (const name of [LOG_BUCKET, ALB_BUCKET, ACCESS_BUCKET]) {
      expect(bySid(bucketStatements(template, name), 'ReaderRolesRead')).toEqual({
        Sid: 'ReaderRolesRead',
        Effect: 'Allow',
        Principal: { AWS: root(SECURITY) },
        Action: ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket', 's3:GetBucketLocation'],
        Resource: [`arn:aws:s3:::${name}`, `arn:aws:s3:::${name}/*`],
        Condition: { ArnEquals: { 'aws:PrincipalArn': [READER] }, StringEquals: { 'aws:PrincipalOrgID': ORG_ID } },
      });
    }
  });

  test('let the Region\'s legacy ELB account write ALB logs only under the source accounts\' paths', () => {
    const { template, construct } = archive();
    expect(construct.elbLogDeliveryPrincipal.accountId).toBe('582318560864');
    const statements = bucketStatements(template, ALB_BUCKET);
    expect(bySid(statements, 'ElbAccessLogWrite')).toEqual({
      Sid: 'ElbAccessLogWrite',
      Effect: 'Allow',
      Principal: { AWS: root('582318560864') },
      Action: 's3:PutObject',
      Resource: SOURCES.map((a) => `${ALB_ARN}/alb/*/AWSLogs/${a}/*`),
    });
    expect(statements.filter((s) => s.Effect === 'Allow').map((s) => s.Sid)).toEqual(['ElbAccessLogWrite']);
  });

  test('use the ELB log delivery service principal when given', () => {
    const { template } = archive({ elbLogDeliveryPrincipal: ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL });
    expect(bySid(bucketStatements(template, ALB_BUCKET), 'ElbAccessLogWrite').Principal)
      .toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
  });

  test('use the service principal in a Region opened after August 2022', () => {
    const stack = stackIn(newApp(), 'Security', SECURITY, 'ap-southeast-7');
    const destinations = new LogArchiveDestinations({ archiveAccountId: SECURITY, region: 'ap-southeast-7', namePrefix: 'gov-hybrid' });
    new CentralLogArchive(stack, 'Archive', { destinations, sourceAccounts: SOURCES });
    expect(bySid(bucketStatements(Template.fromStack(stack), 'gov-hybrid-alb-logs-111111111111-ap-southeast-7'), 'ElbAccessLogWrite').Principal)
      .toEqual({ Service: 'logdelivery.elasticloadbalancing.amazonaws.com' });
  });

  test('let S3 server access logging write each log bucket\'s logs under its own prefix', () => {
    const { template } = archive();
    const statements = bucketStatements(template, ACCESS_BUCKET).filter((s) => s.Principal?.Service === 'logging.s3.amazonaws.com');
    expect(statements).toHaveLength(2);
    for (const [name, prefix] of [[LOG_BUCKET, 'log-bucket/'], [ALB_BUCKET, 'alb-log-bucket/']]) {
      expect(statements).toContainEqual({
        Effect: 'Allow',
        Principal: { Service: 'logging.s3.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: { 'Fn::Join': ['', [{ 'Fn::GetAtt': [logicalIdOfBucket(template, ACCESS_BUCKET), 'Arn'] }, `/${prefix}*`]] },
        Condition: {
          ArnLike: { 'aws:SourceArn': { 'Fn::GetAtt': [logicalIdOfBucket(template, name), 'Arn'] } },
          StringEquals: { 'aws:SourceAccount': SECURITY },
        },
      });
    }
  });
});

describe('CentralLogArchive organization trail', () => {
  test('is off by default', () => {
    archive().template.resourceCountIs('AWS::CloudTrail::Trail', 0);
  });

  test('a trail created in the management account: the policies let it write, and no trail is created here', () => {
    const created = archive({ organizationId: ORG_ID, organizationTrail: { managementAccountId: '999999999999' } }).template;
    const external = archive({ organizationId: ORG_ID, organizationTrail: { managementAccountId: '999999999999', createTrail: false } }).template;
    external.resourceCountIs('AWS::CloudTrail::Trail', 0);
    for (const sid of ['CloudTrailWrite', 'CloudTrailAclCheck']) {
      expect(bySid(bucketStatements(external, LOG_BUCKET), sid)).toEqual(bySid(bucketStatements(created, LOG_BUCKET), sid));
    }
    for (const sid of ['CloudTrailMayEncrypt', 'CloudTrailMayDescribeKey']) {
      expect(bySid(keyStatements(external), sid)).toEqual(bySid(keyStatements(created), sid));
    }
    expect(bySid(bucketStatements(external, LOG_BUCKET), 'CloudTrailWrite')).toBeDefined();
  });

  test('writes the organization\'s events to the KMS bucket with the archive key', () => {
    // GIVEN the Security account is the CloudTrail delegated administrator of management account 999999999999
    const { template } = archive({ organizationId: ORG_ID, organizationTrail: { managementAccountId: '999999999999' } });
    const trailArns = [
      'arn:aws:cloudtrail:ap-northeast-1:999999999999:trail/gov-hybrid-organization-trail',
      'arn:aws:cloudtrail:ap-northeast-1:111111111111:trail/gov-hybrid-organization-trail',
    ];

    // THEN the trail
    template.hasResource('AWS::CloudTrail::Trail', {
      Properties: {
        TrailName: 'gov-hybrid-organization-trail',
        IsLogging: true,
        IsOrganizationTrail: true,
        IsMultiRegionTrail: true,
        IncludeGlobalServiceEvents: true,
        EnableLogFileValidation: true,
        S3BucketName: LOG_BUCKET,
        S3KeyPrefix: 'cloudtrail',
        KMSKeyId: { 'Fn::GetAtt': [Match.stringLikeRegexp('ArchiveKey'), 'Arn'] },
      },
      DependsOn: Match.arrayWith([Match.stringLikeRegexp('ArchiveLogBucketPolicy')]),
    });
    // AND the bucket policy, scoped to the trail
    const statements = bucketStatements(template, LOG_BUCKET);
    expect(bySid(statements, 'CloudTrailWrite')).toEqual({
      Sid: 'CloudTrailWrite',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:PutObject',
      Resource: [`${LOG_ARN}/cloudtrail/AWSLogs/999999999999/*`, `${LOG_ARN}/cloudtrail/AWSLogs/${ORG_ID}/*`],
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'aws:SourceArn': trailArns } },
    });
    expect(bySid(statements, 'CloudTrailAclCheck')).toEqual({
      Sid: 'CloudTrailAclCheck',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 's3:GetBucketAcl',
      Resource: LOG_ARN,
      Condition: { StringEquals: { 'aws:SourceArn': trailArns } },
    });
    // AND the key policy, scoped to the trail and its encryption context
    expect(bySid(keyStatements(template), 'CloudTrailMayEncrypt')).toEqual({
      Sid: 'CloudTrailMayEncrypt',
      Effect: 'Allow',
      Principal: { Service: 'cloudtrail.amazonaws.com' },
      Action: 'kms:GenerateDataKey*',
      Resource: '*',
      Condition: {
        StringEquals: { 'aws:SourceArn': trailArns },
        StringLike: {
          'kms:EncryptionContext:aws:cloudtrail:arn': ['arn:aws:cloudtrail:*:999999999999:trail/*', 'arn:aws:cloudtrail:*:111111111111:trail/*'],
        },
      },
    });
    expect(bySid(keyStatements(template), 'CloudTrailMayDescribeKey').Action).toBe('kms:DescribeKey');
  });
});

describe('CentralLogArchive validation', () => {
  test('rejects a source account ID that is not 12 digits', () => {
    expect(throwsFor({ sourceAccounts: [NETWORK, '33333333333'] })).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (1 problem):',
      '  - `sourceAccounts[1]` 33333333333 is not an AWS account ID; use the 12 digits of the account.',
    ].join('\n'));
  });

  test('rejects an organization ID that does not look like o-…', () => {
    expect(throwsFor({ organizationId: 'exampleorg' })).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (1 problem):',
      '  - `organizationId` exampleorg is not an AWS Organizations ID; it looks like o- followed by 10-32 lowercase letters or digits, e.g. o-a1b2c3d4e5.',
    ].join('\n'));
  });

  test('rejects a lifecycle whose expiry comes before, or with, the transition', () => {
    expect(throwsFor({ transitionAfterDays: 90, expireAfterDays: 60 })).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (1 problem):',
      '  - `expireAfterDays` 60 is not after `transitionAfterDays` 90; objects would expire before they move to GLACIER. Set expireAfterDays above 90, or lower transitionAfterDays.',
    ].join('\n'));
    expect(throwsFor({ expireAfterDays: 90 })).toThrow(
      '`expireAfterDays` 90 is not after `transitionAfterDays` 90; objects would expire before they move to GLACIER.');
  });

  test('says which value to pass for a Region without a known ELB log delivery principal', () => {
    expect(throwsFor({}, 'xx-test-1')).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (1 problem):',
      '  - `destinations.region` xx-test-1 has no known Elastic Load Balancing log delivery principal; set `elbLogDeliveryPrincipal` to ' +
      'ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL (Regions opened in or after August 2022) or ' +
      'ElbLogDeliveryPrincipal.legacyAccount(\'<ELB account ID>\') as listed in https://docs.aws.amazon.com/elasticloadbalancing/latest/application/enable-access-logging.html.',
    ].join('\n'));
    // AND the explicit principal is accepted there
    expect(throwsFor({ elbLogDeliveryPrincipal: ElbLogDeliveryPrincipal.SERVICE_PRINCIPAL }, 'xx-test-1')).not.toThrow();
  });

  test('lists every other problem in one error', () => {
    expect(throwsFor({
      sourceAccounts: [NETWORK, PROD, NETWORK],
      wafLogSourceAccounts: [DEV, '55555'],
      writerRoles: [
        { accountId: NETWORK, roleName: 'bastion role', keyPrefix: 'vpc-flow-logs/forged' },
        { accountId: '555555555555', roleName: 'ok', keyPrefix: '/session-manager/' },
      ],
      readerRoleArns: ['arn:aws:iam::111111111111:user/alice'],
      transitionAfterDays: 0,
      noncurrentVersionExpireAfterDays: 1.5,
      objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retentionDays: 0 },
      elbLogDeliveryPrincipal: ElbLogDeliveryPrincipal.legacyAccount('elb'),
      organizationTrail: { managementAccountId: '9999', trailName: 'org..trail' },
    })).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (15 problems):',
      '  - `sourceAccounts[2]` 222222222222 is listed twice; list each account once.',
      '  - `wafLogSourceAccounts[0]` 444444444444 is not one of `sourceAccounts`; add it there so that the archive accepts its logs.',
      '  - `wafLogSourceAccounts[1]` 55555 is not an AWS account ID; use the 12 digits of the account.',
      '  - `writerRoles[0].roleName` "bastion role" is not an IAM role name; use at most 64 letters, digits and +=,.@_- characters (a trailing * matches a generated name), with its path as path/name if it has one.',
      '  - `writerRoles[0].keyPrefix` vpc-flow-logs/forged starts with vpc-flow-logs, which the archive reserves for AWS log delivery; use a prefix of its own, e.g. session-manager/222222222222.',
      '  - `writerRoles[1].accountId` 555555555555 is not one of `sourceAccounts`; add it there so that the archive accepts its logs.',
      '  - `writerRoles[1].keyPrefix` /session-manager/ is not a key prefix; write segments of letters, digits and !_.*\'()- separated by single slashes, with no leading or trailing slash and no AWSLogs segment.',
      '  - `readerRoleArns[0]` arn:aws:iam::111111111111:user/alice is not an IAM role ARN; write it as arn:aws:iam::<12-digit account>:role/<name>.',
      '  - `transitionAfterDays` 0 is not a number of days; use an integer from 1 to 36500.',
      '  - `noncurrentVersionExpireAfterDays` 1.5 is not a number of days; use an integer from 1 to 36500.',
      '  - `objectLock.retentionDays` 0 is not an Object Lock retention in days; use an integer from 1 to 36500.',
      '  - `elbLogDeliveryPrincipal` elb is not an AWS account ID; use the 12 digits of the account.',
      '  - `organizationTrail` is set but `organizationId` is not; the trail writes under AWSLogs/<organization ID>/, which the bucket policy must name. Set `organizationId`.',
      '  - `organizationTrail.managementAccountId` 9999 is not an AWS account ID; use the 12 digits of the account.',
      '  - `organizationTrail.trailName` org..trail is not a CloudTrail trail name; use 3-128 letters, digits, periods, underscores and hyphens, starting with a letter or digit, with no two symbols in a row.',
    ].join('\n'));
  });

  test('rejects an empty source account list', () => {
    expect(throwsFor({ sourceAccounts: [] })).toThrow(
      '`sourceAccounts` [] is empty; list every account whose logs the archive accepts, e.g. the Network, Prod and Dev accounts.');
  });

  test('rejects a stack in another account or Region than the shared configuration', () => {
    const stack = stackIn(newApp(), 'Security', NETWORK, 'ap-northeast-3');
    expect(() => new CentralLogArchive(stack, 'Archive', { destinations: referenceDestinations(), sourceAccounts: SOURCES })).toThrow([
      'Invalid CentralLogArchive props at Security/Archive (2 problems):',
      '  - `destinations.archiveAccountId` 111111111111 differs from the account of stack Security (222222222222); deploy the archive in the archive account or fix the shared configuration.',
      '  - `destinations.region` ap-northeast-1 differs from the Region of stack Security (ap-northeast-3); the buckets and key must be created in the Region every writer derives.',
    ].join('\n'));
  });
});

describe('CentralLogArchive compliance', () => {
  test('has no unacknowledged cdk-nag finding in the default configuration', () => {
    const { stack } = archive();
    expect(nagFindings(stack)).toEqual([]);
  });

  test('has no unacknowledged cdk-nag finding in the reference configuration with Object Lock and the organization trail', () => {
    const { stack } = archive({
      ...referenceProps(),
      objectLock: { mode: s3.ObjectLockMode.GOVERNANCE, retentionDays: 365 },
      expireAfterDays: 1825,
      organizationTrail: { managementAccountId: '999999999999' },
    });
    expect(nagFindings(stack)).toEqual([]);
  });
});
