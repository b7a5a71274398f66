import * as ec2 from 'aws-cdk-lib/aws-ec2';
import { PropsValidator } from '../private/validation';

/**
 * Private hosted zones and Resolver endpoints need `enableDnsSupport` and `enableDnsHostnames`. Only an L2 `ec2.Vpc`
 * of this app tells us; imported VPCs are trusted.
 * @see https://docs.aws.amazon.com/Route53/latest/DeveloperGuide/hosted-zone-private-considerations.html
 */
export function checkVpcDnsAttributes(v: PropsValidator, prop: string, vpc: ec2.IVpc): void {
  if (vpc instanceof ec2.Vpc && (!vpc.dnsSupportEnabled || !vpc.dnsHostnamesEnabled)) {
    v.report(prop, vpc.node.path,
      'has DNS support or DNS hostnames disabled; private hosted zones and Resolver endpoints need both, so set enableDnsSupport and enableDnsHostnames to true.');
  }
}
