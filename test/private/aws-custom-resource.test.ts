import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks, NIST80053R5Checks } from 'cdk-nag';
import { Construct } from 'constructs';
import { lookupS3PrefixListId } from '../../src/private/aws-custom-resource';

describe('lookupS3PrefixListId', () => {
  test('looks up the regional S3 prefix list with the runtime SDK and least privilege, nag-clean', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
    const id = lookupS3PrefixListId(stack);
    expect(stack.resolve(id)).toEqual({ 'Fn::GetAtt': [expect.stringMatching(/^GovHybridS3PrefixListLookup/), 'PrefixLists.0.PrefixListId'] });
    const template = Template.fromStack(stack);
    template.hasResourceProperties('Custom::S3PrefixListLookup', {
      Create: Match.serializedJson(Match.objectLike({
        service: 'EC2',
        action: 'DescribePrefixLists',
        parameters: { Filters: [{ Name: 'prefix-list-name', Values: ['com.amazonaws.ap-northeast-1.s3'] }] },
        outputPaths: ['PrefixLists.0.PrefixListId'],
      })),
      InstallLatestAwsSdk: false,
    });
    template.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: { Statement: [{ Action: 'ec2:DescribePrefixLists', Effect: 'Allow', Resource: '*' }] },
    });
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });

  test('every construct of a stack shares one lookup', () => {
    const stack = new Stack(new App(), 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
    const first = lookupS3PrefixListId(new Construct(stack, 'Workload'));
    const second = lookupS3PrefixListId(new Construct(stack, 'Backup'));
    expect(stack.resolve(second)).toEqual(stack.resolve(first));
    Template.fromStack(stack).resourceCountIs('Custom::S3PrefixListLookup', 1);
  });

  test('the provider log group created under the recommended feature flags is acknowledged too', () => {
    const app = new App({ context: { '@aws-cdk/aws-lambda:useCdkManagedLogGroup': true } });
    const stack = new Stack(app, 'S', { env: { account: '333333333333', region: 'ap-northeast-1' } });
    lookupS3PrefixListId(stack);
    Template.fromStack(stack).resourceCountIs('AWS::Logs::LogGroup', 1);
    expect(new NIST80053R5Checks().validateScope(stack).violations).toEqual([]);
  });
});
