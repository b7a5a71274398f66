import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { AwsOwnedS3Objects, checkS3EndpointPolicyProps, restrictS3GatewayEndpoint } from '../../src/private/s3-endpoint-policy';
import { PropsValidator } from '../../src/private/validation';

function gateway(stack: Stack) {
  const vpc = new ec2.Vpc(stack, 'Vpc', { availabilityZones: ['ap-northeast-1a', 'ap-northeast-1c'], natGateways: 0, subnetConfiguration: [{ name: 'a', subnetType: ec2.SubnetType.PRIVATE_ISOLATED }] });
  return vpc.addGatewayEndpoint('S3', { service: ec2.GatewayVpcEndpointAwsService.S3 });
}

describe('restrictS3GatewayEndpoint', () => {
  test('own account, AWS-owned objects read-only, listed buckets and the organization: nothing else', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '222222222222', region: 'ap-northeast-1' } });
    restrictS3GatewayEndpoint(gateway(stack), {
      awsOwnedSid: 'Repositories',
      awsOwnedObjects: AwsOwnedS3Objects.amazonLinux2023Repositories(stack),
      additionalBucketArns: ['arn:aws:s3:::archive'],
      organizationId: 'o-abcdefghij',
    });
    const endpoint = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'))[0];
    expect(stack.resolve(endpoint.Properties.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [
        { Sid: 'OwnAccountBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceAccount': '222222222222' } } },
        { Sid: 'Repositories', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:GetObject', Resource: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::al2023-repos-ap-northeast-1-de612dc2/*']] } },
        { Sid: 'AdditionalBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: ['arn:aws:s3:::archive', 'arn:aws:s3:::archive/*'] },
        { Sid: 'OrganizationBuckets', Effect: 'Allow', Principal: { AWS: '*' }, Action: 's3:*', Resource: '*', Condition: { StringEquals: { 'aws:ResourceOrgID': 'o-abcdefghij' } } },
      ],
    });
  });

  test('in an environment-agnostic stack the account and Region are pseudo parameters', () => {
    const stack = new Stack(new App(), 'S');
    restrictS3GatewayEndpoint(gateway(stack), { awsOwnedSid: 'EcrImageLayers', awsOwnedObjects: AwsOwnedS3Objects.ecrImageLayers(stack) });
    const statements = Object.values(Template.fromStack(stack).findResources('AWS::EC2::VPCEndpoint'))[0].Properties.PolicyDocument.Statement;
    expect(statements[0].Condition).toEqual({ StringEquals: { 'aws:ResourceAccount': { Ref: 'AWS::AccountId' } } });
    expect(statements[1].Resource).toEqual({ 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':s3:::prod-', { Ref: 'AWS::Region' }, '-starport-layer-bucket/*']] });
    expect(statements).toHaveLength(2);
  });

  test('the SSM Agent buckets of the Region, as object ARNs', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '222222222222', region: 'ap-northeast-3' } });
    expect(AwsOwnedS3Objects.systemsManagerAgent(stack).map((arn) => stack.resolve(arn)['Fn::Join'][1][2])).toEqual([
      ':s3:::aws-ssm-ap-northeast-3/*', ':s3:::amazon-ssm-ap-northeast-3/*', ':s3:::amazon-ssm-packages-ap-northeast-3/*',
      ':s3:::ap-northeast-3-birdwatcher-prod/*', ':s3:::aws-ssm-distributor-file-ap-northeast-3/*', ':s3:::aws-ssm-document-attachments-ap-northeast-3/*',
      ':s3:::patch-baseline-snapshot-ap-northeast-3/*', ':s3:::patch-baseline-snapshot-ap-northeast-3-*/*', ':s3:::aws-patch-manager-ap-northeast-3-*/*',
    ]);
  });

  test('checkS3EndpointPolicyProps reports object ARNs, wildcards and malformed organization IDs', () => {
    const v = new PropsValidator('X');
    checkS3EndpointPolicyProps(v, 'buckets', ['arn:aws:s3:::ok.bucket-1', 'arn:aws:s3:::b/*', 'arn:aws:s3:::*'], 'org', 'o-short');
    expect(v.messages).toEqual([
      '`buckets[1]` arn:aws:s3:::b/* is not an S3 bucket ARN; write it as arn:aws:s3:::<bucket name>, without a key or wildcard.',
      '`buckets[2]` arn:aws:s3:::* is not an S3 bucket ARN; write it as arn:aws:s3:::<bucket name>, without a key or wildcard.',
      '`org` o-short is not an AWS Organizations organization ID; write it as o- followed by 10 to 32 lowercase letters or digits.',
    ]);
  });
});
