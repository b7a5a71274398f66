import { Stack, StackProps } from 'aws-cdk-lib';
import { Construct } from 'constructs';
import { ITransitGatewayAttachment, TransitGatewayAttachment } from '../../../src';
import { API_PEERS, CoreVpc, WorkloadAccount } from '../config';
import { HubStack } from './hub';

/** Props of a department routing stack. */
export interface DepartmentRoutingStackProps extends StackProps {
  readonly hub: HubStack;
  /** The department's workload accounts. */
  readonly workloads: WorkloadAccount[];
}

/**
 * Network account, after a department's spokes: finds each spoke attachment (accepting it), associates it with its
 * department-environment segment and propagates it into that segment (same department and environment see each
 * other), into `core` (shared services reach every VPC) and into `onprem`. API accounts are also propagated into the
 * segments of their API peers in the same environment (seed: cross-department APIs).
 *
 * One stack per department keeps each far below CloudFormation's 500 resources: about 6 resources per spoke
 * (1 lookup, 1 association, 3 propagations, plus peers for API accounts) and 4 for the lookup function, so 24 spokes
 * are about 160 resources. When a department grows past ~70 accounts, split its routing stack by environment.
 */
export class DepartmentRoutingStack extends Stack {
  public readonly attachments: ITransitGatewayAttachment[] = [];

  constructor(scope: Construct, id: string, props: DepartmentRoutingStackProps) {
    super(scope, id, props);
    const { hub } = props;
    const core = hub.segment('core');
    const onprem = hub.segment('onprem');
    for (const w of props.workloads) {
      const attachment = hub.hub.lookupSpokeAttachment(this, w.name, { name: w.name, ownerAccount: w.accountId, cidrs: [w.cidr] });
      this.attachments.push(attachment);
      const own = hub.segment(w.segment);
      own.associate(attachment);
      own.propagateFrom(attachment);
      core.propagateFrom(attachment);
      onprem.propagateFrom(attachment);
      if (w.role === 'api') {
        for (const peer of API_PEERS[w.department]) {
          hub.segment(`${peer}-${w.environment}`).propagateFrom(attachment);
        }
      }
    }
  }
}

/** Props of the core routing stack. */
export interface CoreRoutingStackProps extends StackProps {
  readonly hub: HubStack;
  /** Core VPCs in other accounts (shared services, security), looked up. */
  readonly lookedUp: CoreVpc[];
  /** The Network account's own VPC and its attachment ID (same account: a cross-stack reference). */
  readonly networkVpc: CoreVpc & { readonly attachmentId: string };
}

/**
 * Network account, after the core spokes: the shared services, security and network VPCs join `core`, and every
 * segment (each department-environment and `onprem`) learns them: the core services are reachable from everywhere.
 * Its size does not depend on the number of workload spokes (3 VPCs x 22 segments).
 */
export class CoreRoutingStack extends Stack {
  constructor(scope: Construct, id: string, props: CoreRoutingStackProps) {
    super(scope, id, props);
    const { hub } = props;
    const attachments: ITransitGatewayAttachment[] = props.lookedUp.map((c) =>
      hub.hub.lookupSpokeAttachment(this, c.name, { name: c.name, ownerAccount: c.accountId, cidrs: [c.cidr] }));
    attachments.push(TransitGatewayAttachment.fromVpcAttachmentId(this, 'NetworkVpc', {
      attachmentId: props.networkVpc.attachmentId,
      name: props.networkVpc.name,
      cidrs: [props.networkVpc.cidr],
    }));
    const core = hub.segment('core');
    for (const attachment of attachments) {
      core.associate(attachment);
      for (const segment of hub.segments.values()) {
        segment.propagateFrom(attachment);
      }
    }
  }
}
