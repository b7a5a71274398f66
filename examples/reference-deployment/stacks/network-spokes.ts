import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ReferenceConfig } from '../config';
import { NetworkStack } from './network';

/** Props of the Network account's post-spoke stack. */
export interface NetworkSpokesStackProps extends StackProps {
  readonly config: ReferenceConfig;
  readonly network: NetworkStack;
}

/**
 * Network account, last stack: finds the Prod and Dev VPC attachments that the spoke accounts created (a deploy-time
 * lookup by transit gateway and owner account: nobody copies IDs across accounts), accepts them, and puts them in the
 * route tables. Deployed after the Prod and Dev stacks.
 */
export class NetworkSpokesStack extends Stack {
  constructor(scope: Construct, id: string, props: NetworkSpokesStackProps) {
    super(scope, id, props);
    const { config } = props;
    const { hub, segments } = props.network;
    const prod = hub.lookupSpokeAttachment(this, 'Prod', { name: 'prod', ownerAccount: config.accounts.prod, cidrs: [config.prod.cidr] });
    const dev = hub.lookupSpokeAttachment(this, 'Dev', { name: 'dev', ownerAccount: config.accounts.dev, cidrs: [config.dev.cidr] });

    // rt-spoke: Prod and Dev send into it; they do not see each other (neither is propagated there).
    segments.spokes.associate(prod);
    segments.spokes.associate(dev);
    // rt-user: users see the Prod and Dev ALB subnets (security groups narrow it to the ALBs, 443).
    segments.users.propagateFrom(prod);
    segments.users.propagateFrom(dev);
    // rt-network: the bastion reaches Prod and Dev.
    segments.network.propagateFrom(prod);
    segments.network.propagateFrom(dev);
    // rt-dc: the DC reaches only Prod's Transfer /26, nothing else in Prod or Dev.
    segments.dc.addStaticRoute(config.prod.transferCidr, prod);
  }
}
