import * as path from 'path';
import { CfnOutput, Duration, Stack, StackProps } from 'aws-cdk-lib';
import * as ecrAssets from 'aws-cdk-lib/aws-ecr-assets';
import * as ecs from 'aws-cdk-lib/aws-ecs';
import * as elbv2 from 'aws-cdk-lib/aws-elasticloadbalancingv2';
import { Construct } from 'constructs';
import {
  GovHybridSpokeAttachment, IsolatedSpokeVpc, LogArchiveDestinations, PrivateDnsSpoke, SecureEcsWorkload, SftpBackupBridge,
  WafLogDelivery,
} from '../../../src';
import { BackupPlan, ReferenceConfig, SpokePlan } from '../config';

/** Props of a spoke account's stack (Prod or Dev). */
export interface SpokeStackProps extends StackProps {
  readonly config: ReferenceConfig;
  readonly destinations: LogArchiveDestinations;
  /** The spoke's address plan. */
  readonly spoke: SpokePlan;
  /**
   * The SFTP backup bridge: the spoke's Transfer Family subnets (one /27 per AZ inside `transferCidr`) and the dump.
   * @default - no backup bridge (Dev)
   */
  readonly backup?: { readonly transferCidr: string; readonly transfer: string[]; readonly plan: BackupPlan };
}

/**
 * A spoke account (Prod or Dev): the isolated VPC, its transit gateway attachment and routes, the private hosted zone,
 * the city-hall application behind an internal ALB with WAF, its database and, in Prod, the SFTP backup bridge.
 * Deployed after the Network stack (the transit gateway and the DNS profile are shared from there).
 */
export class SpokeStack extends Stack {
  public readonly vpc: IsolatedSpokeVpc;
  public readonly attachment: GovHybridSpokeAttachment;
  public readonly dns: PrivateDnsSpoke;
  public readonly workload: SecureEcsWorkload;
  public readonly backup?: SftpBackupBridge;

  constructor(scope: Construct, id: string, props: SpokeStackProps) {
    super(scope, id, props);
    const { config, destinations, spoke } = props;

    this.vpc = new IsolatedSpokeVpc(this, 'Vpc', {
      vpcName: spoke.name,
      vpcCidr: spoke.cidr,
      availabilityZones: config.availabilityZones,
      transitGatewayAttachmentSubnetCidrs: spoke.transitGatewayAttachment,
      loadBalancerSubnetCidrs: spoke.alb,
      applicationSubnetCidrs: spoke.app,
      dataSubnetCidrs: spoke.data,
      extraSubnetGroups: props.backup ? [{ name: 'transfer', cidrs: props.backup.transfer }] : [],
      flowLogDestination: destinations.vpcFlowLogDestination(this, `${spoke.name}-vpc`),
      // No address range may reach the interface endpoints: the workload and the backup bridge open 443 from their
      // tasks' security groups only (their `endpointSecurityGroup`).
      endpointAllowedCidrs: [],
    });

    // Routes towards the transit gateway, each from the subnets that must answer: the ALBs answer the user sites,
    // the app and data subnets answer the bastion (Network VPC), the Transfer subnets answer the backup server.
    this.attachment = new GovHybridSpokeAttachment(this, 'Attachment', {
      vpc: this.vpc.vpc,
      vpcCidr: spoke.cidr,
      name: spoke.name,
      attachmentSubnets: this.vpc.transitGatewayAttachmentSubnets,
      transitGatewayOwnerAccount: config.accounts.network,
      routes: [
        { subnets: this.vpc.loadBalancerSubnets, destinations: config.userSites.cidrs },
        { subnets: this.vpc.applicationSubnets, destinations: [config.network.cidr] },
        { subnets: this.vpc.dataSubnets, destinations: [config.network.cidr] },
        ...(props.backup ? [{ subnets: this.vpc.subnetGroup('transfer'), destinations: [config.dataCentre.backupServer] }] : []),
      ],
    });

    // The hub's Profile is accepted only from a RAM share owned by the Network account.
    this.dns = new PrivateDnsSpoke(this, 'Dns', { vpc: this.vpc.vpc, zoneName: spoke.zoneName, hubAccount: config.accounts.network });

    const wafLogs = new WafLogDelivery(this, 'WafLogs', { destinations });
    this.workload = new SecureEcsWorkload(this, 'App', {
      vpc: this.vpc.vpc,
      loadBalancerSubnets: this.vpc.loadBalancerSubnets,
      applicationSubnets: this.vpc.applicationSubnets,
      dataSubnets: this.vpc.dataSubnets,
      userSiteCidrs: config.userSites.cidrs,
      operatorSourceCidrs: config.network.bastion,
      endpointSecurityGroup: this.vpc.endpointSecurityGroup,
      certificates: [elbv2.ListenerCertificate.fromArn(spoke.certificateArn)],
      accessLogsBucket: destinations.albLogBucket(this),
      accessLogsPrefix: destinations.albAccessLogPrefix(`${spoke.name}-app`),
      wafLogDestinationArn: wafLogs.deliveryStreamArn,
      image: ecs.ContainerImage.fromAsset(path.join(__dirname, '..', '..', '..', 'assets', 'sample-app'), {
        platform: ecrAssets.Platform.LINUX_AMD64,
      }),
      healthCheckPath: '/health',
      desiredCount: spoke.desiredCount,
      multiAz: spoke.multiAzDatabase,
      backupRetention: Duration.days(spoke.backupRetentionDays),
      privateZone: this.dns.privateZone,
    });

    if (props.backup) {
      this.backup = new SftpBackupBridge(this, 'Backup', {
        vpc: this.vpc.vpc,
        endpointSubnets: this.vpc.subnetGroup('transfer'),
        advertisedCidr: props.backup.transferCidr,
        backupServerAddress: config.dataCentre.backupServer,
        sshPublicKeys: [props.backup.plan.sshPublicKey],
        database: this.workload.database,
        databaseSecret: this.workload.databaseSecret,
        databaseName: 'app',
        cluster: this.workload.cluster,
        dumpTaskSubnets: this.vpc.applicationSubnets,
        endpointSecurityGroup: this.vpc.endpointSecurityGroup,
        schedule: props.backup.plan.schedule,
        scheduleTimeZone: props.backup.plan.timeZone,
        retentionDays: props.backup.plan.retentionDays,
        privateZone: this.dns.privateZone,
      });
      new CfnOutput(this, 'SftpHostKeyFingerprint', {
        value: this.backup.hostKeyFingerprint,
        description: 'SSH host key fingerprint of the SFTP endpoint: check it on the backup server before the first transfer',
      });
      if (this.backup.endpointHostName) {
        new CfnOutput(this, 'SftpHostName', { value: this.backup.endpointHostName, description: 'SFTP endpoint name for the backup server' });
      }
    }
  }
}
