import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { GovHybridSpokeAttachment, IsolatedSpokeVpc, LogArchiveDestinations } from '../../../src';
import { ScalePlan, spokeSubnets } from '../config';

/** Props of one spoke account's stack. */
export interface ScaleSpokeStackProps extends StackProps {
  readonly plan: ScalePlan;
  readonly destinations: LogArchiveDestinations;
  /** The spoke's name, e.g. `mfg-prod-app`. */
  readonly spokeName: string;
  /** The spoke VPC's CIDR. */
  readonly cidr: string;
  /**
   * The transit gateway ID, for a VPC in the Network account itself (a same-account reference).
   * @default - looked up at deployment from the Network account that shares it
   */
  readonly transitGatewayId?: string;
}

/**
 * A spoke account: an isolated VPC (transit gateway attachment, load balancer, application and data subnets, the
 * interface endpoints a container workload needs, flow logs to the archive) attached to the shared transit gateway.
 * Every private destination (10.0.0.0/8 and on premises) goes to the transit gateway: the segments of the hub decide
 * what the spoke actually reaches.
 */
export class ScaleSpokeStack extends Stack {
  public readonly vpc: IsolatedSpokeVpc;
  public readonly attachment: GovHybridSpokeAttachment;

  constructor(scope: Construct, id: string, props: ScaleSpokeStackProps) {
    super(scope, id, props);
    const { plan } = props;
    const subnets = spokeSubnets(props.cidr);
    this.vpc = new IsolatedSpokeVpc(this, 'Vpc', {
      vpcName: props.spokeName,
      vpcCidr: props.cidr,
      availabilityZones: plan.availabilityZones,
      transitGatewayAttachmentSubnetCidrs: subnets.tgw,
      loadBalancerSubnetCidrs: subnets.alb,
      applicationSubnetCidrs: subnets.app,
      dataSubnetCidrs: subnets.data,
      flowLogDestination: props.destinations.vpcFlowLogDestination(this, props.spokeName),
    });
    const destinations = ['10.0.0.0/8', ...plan.onPremisesCidrs];
    this.attachment = new GovHybridSpokeAttachment(this, 'Attachment', {
      vpc: this.vpc.vpc,
      vpcCidr: props.cidr,
      name: props.spokeName,
      attachmentSubnets: this.vpc.transitGatewayAttachmentSubnets,
      ...(props.transitGatewayId ? { transitGatewayId: props.transitGatewayId } : { transitGatewayOwnerAccount: plan.networkAccount }),
      routes: [
        { subnets: this.vpc.loadBalancerSubnets, destinations },
        { subnets: this.vpc.applicationSubnets, destinations },
        { subnets: this.vpc.dataSubnets, destinations },
      ],
    });
  }
}
