export * from './transit-hub';
export * from './ops-access';
export * from './private-dns';
export * from './spoke-vpc';
export * from './ecs-workload';
export * from './sftp-backup';
export * from './log-archive';
export * from './reachability';
