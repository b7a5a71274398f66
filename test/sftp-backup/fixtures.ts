import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as rds from 'aws-cdk-lib/aws-rds';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { IConstruct } from 'constructs';
import { ExactSubnetGroup, ExactSubnetIpAddresses, exactSubnetConfiguration } from '../../src/private/exact-vpc';
import { acknowledgeNag } from '../../src/private/nag';
import { SftpBackupBridgeProps } from '../../src/sftp-backup';

export const AZS = ['ap-northeast-1a', 'ap-northeast-1c'];
export const PROD_ACCOUNT = '333333333333';
export const ED25519_KEY = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHD9sdDJQ87XgDbQEK0Gwuq6FOf7qJjDSC09rnJoi7R backup@dc';
export const RSA_KEY = 'ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABgQDZsRp5iFK64Mks8S++BLh3WsFuhcNa0X7c1vz0a62LOoN6WL6teQ68buN523idtPNvruK12cuI0zj8rspBn3qvaS7QH1qo5RGond+a61nBmR5rHXOr38AMM6n4Jv7WUqfJB8Ozcl9dnLe6K9E8cb37sWp0BGuZIYGVjt9pkv+WRPVMeDPTFyhLFaaqXGucuyxmQO3577MMetOL79uHC2sR21TrCHTw3Wnc2TTp0hZGglOK54AYVNKYMY6c6gYBVNINRZ60JIWifpJaC7nU+18Nf5v9VeNq4jLZ8sbN5EHWwf+ABkcLiEFR8sWmYnv2V2ibh+IPcCyp1KxM4g+yCCjqXEA46koSgdm3N3NQzFa9gOgwzTB7PiQPFzssJnyXGmcEmwM5s64WkMuXhd06aipHOEc7noUZJfbepWD4Cc+a8rQ4f5gvZ7YHJADkNiyx488f4G+VfsQWc/l974d1p8tJgRZFYT4xZk7c0KvJv0lXD7cyHjxKJ/CIb/Kb/MeobVs= backup@dc';
export const ECDSA256_KEY = 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBEvBQXM3k0an8/A1zQ4WyHQ+X4D4Xfev73R3SuZ9JAJzeUTuJO04S7aHzyYRbixqPd9Ie96+L5lv+4yxyi4R58I= backup@dc';
export const ECDSA384_KEY = 'ecdsa-sha2-nistp384 AAAAE2VjZHNhLXNoYTItbmlzdHAzODQAAAAIbmlzdHAzODQAAABhBLPlhbZLrcUh3a5Q1/kMrWBOC7C2zUp1Jv0yPfE0m7ftW++XLa8+RmgqPWsbo93kxadLZ1ihWlAUDGDuOmHKGqsZ1+XGOWKSN1s9x82fKyIETlaYJu8Z0/EJaJv2ge5IoQ== root@vm';

const isolated = ec2.SubnetType.PRIVATE_ISOLATED;

/** The Prod VPC of the reference deployment's address plan, with the Transfer /26 split into two /27s. */
export const PROD_SUBNETS: ExactSubnetGroup[] = [
  { name: 'tgw-attach', subnetType: isolated, cidrs: ['10.0.0.0/28', '10.0.0.16/28'], prop: 'subnets.tgw-attach' },
  { name: 'alb', subnetType: isolated, cidrs: ['10.0.1.0/24', '10.0.2.0/24'], prop: 'subnets.alb' },
  { name: 'app', subnetType: isolated, cidrs: ['10.0.10.0/24', '10.0.11.0/24'], prop: 'subnets.app' },
  { name: 'transfer', subnetType: isolated, cidrs: ['10.0.20.0/27', '10.0.20.32/27'], prop: 'subnets.transfer' },
  { name: 'data', subnetType: isolated, cidrs: ['10.0.30.0/24', '10.0.31.0/24'], prop: 'subnets.data' },
];

/** The fixtures' own cdk-nag findings belong to the spoke VPC and workload constructs, which have their own tests. */
function acknowledgeFixture(scope: IConstruct, ids: string[]) {
  acknowledgeNag(scope, ...ids.map((id) => ({
    id,
    reason: 'Test fixture standing in for the spoke VPC / database constructs, which are checked by their own tests.',
  })));
}

export interface ProdFixture {
  readonly app: App;
  readonly stack: Stack;
  readonly vpc: ec2.Vpc;
  readonly database: rds.DatabaseInstance;
  readonly zone: route53.PrivateHostedZone;
}

/** A Prod-account stack with the reference Prod VPC (10.0.0.0/18), a PostgreSQL instance and the zone prod.internal. */
export function prodFixture(): ProdFixture {
  const app = new App();
  const stack = new Stack(app, 'Prod', { env: { account: PROD_ACCOUNT, region: 'ap-northeast-1' } });
  const vpc = new ec2.Vpc(stack, 'Vpc', {
    ipAddresses: new ExactSubnetIpAddresses('10.0.0.0/18', AZS, PROD_SUBNETS),
    availabilityZones: AZS,
    subnetConfiguration: exactSubnetConfiguration(PROD_SUBNETS),
    natGateways: 0,
  });
  const database = new rds.DatabaseInstance(stack, 'Database', {
    engine: rds.DatabaseInstanceEngine.postgres({ version: rds.PostgresEngineVersion.VER_17_9 }),
    vpc,
    vpcSubnets: { subnetGroupName: 'data' },
    credentials: rds.Credentials.fromGeneratedSecret('postgres'),
    storageEncrypted: true,
  });
  const zone = new route53.PrivateHostedZone(stack, 'Zone', { zoneName: 'prod.internal', vpc });
  acknowledgeFixtureFindings(vpc, database);
  return { app, stack, vpc, database, zone };
}

/** Acknowledges the cdk-nag findings of the fixture VPC and database (not of the bridge). */
export function acknowledgeFixtureFindings(vpc: IConstruct, database: IConstruct) {
  acknowledgeFixture(vpc, ['AwsSolutions-VPC7', 'NIST.800.53.R5-VPCDefaultSecurityGroupClosed', 'NIST.800.53.R5-VPCFlowLogsEnabled']);
  acknowledgeFixture(database, [
    'AwsSolutions-SMG4', 'AwsSolutions-RDS2', 'AwsSolutions-RDS3', 'AwsSolutions-RDS10', 'AwsSolutions-RDS11',
    'NIST.800.53.R5-SecretsManagerRotationEnabled', 'NIST.800.53.R5-SecretsManagerUsingKMSKey',
    'NIST.800.53.R5-RDSEnhancedMonitoringEnabled', 'NIST.800.53.R5-RDSInBackupPlan',
    'NIST.800.53.R5-RDSInstanceDeletionProtectionEnabled',
    ...['postgresql', 'upgrade', 'audit', 'error', 'general', 'slowquery'].map((log) => `NIST.800.53.R5-RDSLoggingEnabled[LogExport::${log}]`),
    'NIST.800.53.R5-RDSMultiAZSupport', 'NIST.800.53.R5-RDSStorageEncrypted',
  ]);
}

/** The reference Prod configuration of the bridge. */
export function referenceProps(f: ProdFixture): SftpBackupBridgeProps {
  return {
    vpc: f.vpc,
    endpointSubnets: { subnetGroupName: 'transfer' },
    advertisedCidr: '10.0.20.0/26',
    backupServerAddress: '10.0.200.10',
    sshPublicKeys: [ED25519_KEY],
    database: f.database,
    databaseSecret: f.database.secret,
    databaseName: 'app',
    dumpTaskSubnets: { subnetGroupName: 'app' },
    privateZone: f.zone,
  };
}
