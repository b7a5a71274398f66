export * from './options';
export * from './sftp-backup-bridge';
