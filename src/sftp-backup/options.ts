/**
 * The database engine of the dumped database, which decides the dump tool in the dump task's image.
 */
export enum DumpEngine {
  /**
   * RDS for PostgreSQL: `pg_dump --format=custom` (restore with `pg_restore`). The image carries the PostgreSQL 17
   * client, which dumps PostgreSQL servers up to 17; the backup server's `pg_restore` must be version 17 or newer
   * to read the archive. SftpBackupBridge refuses at synth a database whose engine version is newer than 17 (it
   * would fail every night); a database whose version is unknown at synth (imported) is not checked.
   *
   * @see https://www.postgresql.org/docs/current/app-pgdump.html
   */
  POSTGRESQL = 'postgresql',

  /**
   * RDS for MySQL or MariaDB: `mysqldump --single-transaction` (the MariaDB client's dump tool) to a plain SQL file
   * (restore with `mysql < file`). `--single-transaction` gives a consistent dump of InnoDB tables without locking.
   *
   * @see https://mariadb.com/kb/en/mariadb-dump/
   */
  MYSQL = 'mysql',
}

/**
 * The Transfer Family security policy of the SFTP server: the SSH ciphers, key exchanges and MACs it offers.
 *
 * CloudFormation assigns `TransferSecurityPolicy-2018-11` when `SecurityPolicyName` is omitted, so the bridge
 * always sets one explicitly. Use `of()` for a policy newer than this library.
 *
 * @see https://docs.aws.amazon.com/transfer/latest/userguide/security-policies.html
 */
export class SftpSecurityPolicy {
  /**
   * `TransferSecurityPolicy-2025-03`: the newest general-purpose server policy in the Transfer Family user guide,
   * which adds hybrid post-quantum key exchange. The default.
   */
  public static readonly POLICY_2025_03 = new SftpSecurityPolicy('TransferSecurityPolicy-2025-03');

  /** `TransferSecurityPolicy-FIPS-2025-03`: FIPS 140-validated algorithms only. */
  public static readonly FIPS_2025_03 = new SftpSecurityPolicy('TransferSecurityPolicy-FIPS-2025-03');

  /** `TransferSecurityPolicy-2024-01`: the console's default before 2025; for clients that fail with 2025-03. */
  public static readonly POLICY_2024_01 = new SftpSecurityPolicy('TransferSecurityPolicy-2024-01');

  /** `TransferSecurityPolicy-SshAuditCompliant-2025-02`: the algorithm set the ssh-audit tool recommends. */
  public static readonly SSH_AUDIT_COMPLIANT_2025_02 = new SftpSecurityPolicy('TransferSecurityPolicy-SshAuditCompliant-2025-02');

  /**
   * A security policy by name, e.g. one published after this library.
   *
   * @param name the policy name as `ListSecurityPolicies` returns it, e.g. `TransferSecurityPolicy-2025-03`
   */
  public static of(name: string): SftpSecurityPolicy {
    return new SftpSecurityPolicy(name);
  }

  /** The policy name, e.g. `TransferSecurityPolicy-2025-03`. */
  public readonly name: string;

  private constructor(name: string) {
    this.name = name;
  }
}
