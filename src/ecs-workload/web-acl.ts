import { Token } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { PropsValidator } from '../private/validation';

/** The AWS managed rule groups every workload's web ACL evaluates, in priority order after the IP reputation list. */
export const MANAGED_RULE_GROUPS = [
  'AWSManagedRulesAmazonIpReputationList',
  'AWSManagedRulesCommonRuleSet',
  'AWSManagedRulesKnownBadInputsRuleSet',
  'AWSManagedRulesSQLiRuleSet',
];

/** WAF's limits for a rate-based rule's request limit. */
export const RATE_LIMIT_MIN = 10;
export const RATE_LIMIT_MAX = 2_000_000_000;

/** Options of `webAclRules`. */
export interface WebAclRuleOptions {
  /** Requests per 5 minutes per source IP before WAF blocks the IP; undefined for no rate rule. */
  readonly rateLimitPerFiveMinutes?: number;
  /** Rules of the common rule set that only count, e.g. `SizeRestrictions_BODY`. */
  readonly commonRuleSetExcludedRules: string[];
}

/**
 * The rules of the workload's web ACL: the AWS IP reputation list first (cheapest, drops known bad sources), then an
 * optional rate-based rule per source IP, then the common, known-bad-inputs and SQL injection rule groups. Managed
 * rule groups keep their own actions (`overrideAction: none`); listed common rules are set to Count.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/aws-managed-rule-groups-list.html
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/waf-rule-statement-type-rate-based.html
 */
export function webAclRules(options: WebAclRuleOptions): wafv2.CfnWebACL.RuleProperty[] {
  const rules: wafv2.CfnWebACL.RuleProperty[] = [];
  const managed = (name: string, ruleActionOverrides?: wafv2.CfnWebACL.RuleActionOverrideProperty[]): wafv2.CfnWebACL.RuleProperty => ({
    name: `AWS-${name}`,
    priority: rules.length,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name, ruleActionOverrides } },
    visibilityConfig: visibility(`AWS-${name}`),
  });
  rules.push(managed('AWSManagedRulesAmazonIpReputationList'));
  if (options.rateLimitPerFiveMinutes !== undefined) {
    rules.push({
      name: 'RateLimitPerSourceIp',
      priority: rules.length,
      action: { block: {} },
      statement: { rateBasedStatement: { limit: options.rateLimitPerFiveMinutes, aggregateKeyType: 'IP', evaluationWindowSec: 300 } },
      visibilityConfig: visibility('RateLimitPerSourceIp'),
    });
  }
  const overrides = options.commonRuleSetExcludedRules.map((name) => ({ name, actionToUse: { count: {} } }));
  rules.push(managed('AWSManagedRulesCommonRuleSet', overrides.length > 0 ? overrides : undefined));
  rules.push(managed('AWSManagedRulesKnownBadInputsRuleSet'));
  rules.push(managed('AWSManagedRulesSQLiRuleSet'));
  return rules;
}

/** CloudWatch metrics and sampled requests on, under `metricName`. */
export function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

/**
 * Checks a WAF logging destination ARN: a Firehose delivery stream, a CloudWatch Logs log group (without the `:*`
 * suffix) or an S3 bucket whose name starts with `aws-waf-logs-`; a Firehose stream or log group must be in the web
 * ACL's account and region (ARCHITECTURE.md correction 5). Parts that are tokens are skipped.
 *
 * @see https://docs.aws.amazon.com/waf/latest/developerguide/logging-destinations.html
 */
export function checkWafLogDestination(v: PropsValidator, prop: string, arn: string, account: string, region: string): void {
  const parts = arn.split(':');
  if (parts.length < 6 || (parts[0] !== 'arn' && !Token.isUnresolved(parts[0]))) {
    if (!Token.isUnresolved(arn)) {
      v.report(prop, arn, 'is not an ARN; give the ARN of an aws-waf-logs- Firehose delivery stream, CloudWatch Logs log group or S3 bucket.');
    }
    return;
  }
  const [, , service, arnRegion, arnAccount] = parts;
  const resource = parts.slice(5).join(':');
  let name: string | undefined;
  if (service === 'firehose' && resource.startsWith('deliverystream/')) {
    name = resource.slice('deliverystream/'.length);
  } else if (service === 'logs' && resource.startsWith('log-group:')) {
    name = resource.slice('log-group:'.length);
    if (name.endsWith(':*')) {
      v.report(prop, arn, 'ends with :*; give the log group ARN without the :* suffix, as AWS WAF expects.');
      name = name.slice(0, -2);
    }
  } else if (service === 's3' && !resource.includes('/')) {
    name = resource;
  } else if (!Token.isUnresolved(service) && !Token.isUnresolved(resource)) {
    v.report(prop, arn, 'is not the ARN of a Firehose delivery stream, a CloudWatch Logs log group or an S3 bucket; AWS WAF logs only to these.');
    return;
  }
  if (name !== undefined && !Token.isUnresolved(name) && !name.startsWith('aws-waf-logs-')) {
    v.report(prop, arn, `names ${name}, which does not start with aws-waf-logs-; AWS WAF only logs to destinations whose name starts with aws-waf-logs- (ARCHITECTURE.md correction 5).`);
  }
  if (service === 'firehose' || service === 'logs') {
    if (!Token.isUnresolved(arnAccount) && !Token.isUnresolved(account) && arnAccount !== account) {
      v.report(prop, arn, `is in account ${arnAccount}, but the web ACL is in account ${account}; AWS WAF logs only to a destination in the web ACL's account: create an aws-waf-logs- Firehose stream in ${account} that delivers to the log archive account (ARCHITECTURE.md correction 5).`);
    }
    if (!Token.isUnresolved(arnRegion) && !Token.isUnresolved(region) && arnRegion !== region) {
      v.report(prop, arn, `is in region ${arnRegion}, but the web ACL is in ${region}; use a destination in the web ACL's region.`);
    }
  }
}
