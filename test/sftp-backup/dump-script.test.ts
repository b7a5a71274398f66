import { spawnSync } from 'child_process';
import * as crypto from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/*
 * Runs the dump task's script (assets/sftp-backup/dump.sh) under a POSIX shell with stub pg_dump, pg_restore,
 * mysqldump, aws and date commands, so that its behaviour (key layout, checksum, sidecar, JSON events, failure
 * handling, no password in the output) is checked without a database or AWS.
 */

const SCRIPT = path.join(__dirname, '..', '..', 'assets', 'sftp-backup', 'dump.sh');
const PASSWORD = 'p@ss"w\\rd#1';

interface Run {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly awsCalls: string[];
  readonly uploaded: Record<string, Buffer>;
  readonly workFiles: string[];
  readonly mysqlOptions?: string;
}

function stub(dir: string, name: string, body: string) {
  fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
}

interface Stubs {
  readonly pgDumpFails?: boolean;
  readonly pgDumpHangs?: boolean;
  readonly awsFails?: boolean;
  readonly truncatedMysql?: boolean;
}

function runScript(env: Record<string, string>, stubs: Stubs = {}): Run {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'dump-sh-'));
  const bin = path.join(root, 'bin');
  const work = path.join(root, 'work');
  const s3 = path.join(root, 's3');
  fs.mkdirSync(bin);
  fs.mkdirSync(work);
  fs.mkdirSync(s3);
  const realDate = spawnSync('sh', ['-c', 'command -v date']).stdout.toString().trim();
  // 2026-01-15 02:00:03 in Tokyo, whatever the clock says.
  stub(bin, 'date', `exec ${realDate} -d @1768410003 "$@"`);
  stub(bin, 'pg_dump', [
    'for a in "$@"; do case "$a" in --file=*) f="${a#--file=}" ;; esac; done',
    `[ "$PGPASSWORD" = '${PASSWORD.replace(/'/g, "'\\''")}' ] || { echo "bad password" >&2; exit 9; }`,
    '[ "$PGSSLMODE" = verify-full ] || { echo "no TLS verification" >&2; exit 9; }',
    stubs.pgDumpFails ? 'echo "pg_dump: error: connection refused" >&2; exit 1'
      : stubs.pgDumpHangs ? 'exec sleep 30' : 'printf "PGDMP custom archive" > "$f"',
  ].join('\n'));
  stub(bin, 'pg_restore', '[ "$1" = --list ] && [ -s "$2" ]');
  stub(bin, 'mysqldump', [
    'cnf="${1#--defaults-extra-file=}"',
    `cp "$cnf" "${root}/mysql-options"`,
    'for a in "$@"; do case "$a" in --result-file=*) f="${a#--result-file=}" ;; esac; done',
    stubs.truncatedMysql ? 'printf "CREATE TABLE t (id int);\\n" > "$f"' : 'printf "CREATE TABLE t (id int);\\n-- Dump completed on 2026-01-15  2:00:09\\n" > "$f"',
  ].join('\n'));
  stub(bin, 'aws', [
    `echo "$*" >> "${root}/aws-calls"`,
    stubs.awsFails ? 'echo "upload failed: AccessDenied" >&2; exit 1' : '',
    `dest="${s3}/$(printf '%s' "$4" | sed 's#^s3://##; s#/#__#g')"`,
    'cp "$3" "$dest"',
  ].join('\n'));

  const result = spawnSync('sh', [SCRIPT], {
    env: { PATH: `${bin}:/usr/bin:/bin`, TZ: 'Asia/Tokyo', WORK_DIR: work, RDS_CA_BUNDLE: '/etc/ssl/rds/global-bundle.pem', ...env },
    encoding: 'utf8',
  });
  const uploaded: Record<string, Buffer> = {};
  for (const file of fs.readdirSync(s3)) {
    uploaded[file.replace(/__/g, '/')] = fs.readFileSync(path.join(s3, file));
  }
  const callsFile = path.join(root, 'aws-calls');
  const optionsFile = path.join(root, 'mysql-options');
  return {
    status: result.status,
    stdout: result.stdout,
    stderr: result.stderr,
    awsCalls: fs.existsSync(callsFile) ? fs.readFileSync(callsFile, 'utf8').trim().split('\n') : [],
    uploaded,
    workFiles: fs.readdirSync(work),
    mysqlOptions: fs.existsSync(optionsFile) ? fs.readFileSync(optionsFile, 'utf8') : undefined,
  };
}

const BASE_ENV = {
  DUMP_ENGINE: 'postgresql',
  DB_HOST: 'prod-db.abc123.ap-northeast-1.rds.amazonaws.com',
  DB_PORT: '5432',
  DB_NAME: 'app',
  DB_USER: 'postgres',
  DB_PASSWORD: PASSWORD,
  DUMP_BUCKET: 'dump-bucket',
  DUMP_PREFIX: 'dumps',
};

function events(stdout: string): Array<Record<string, unknown>> {
  return stdout.trim().split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l));
}

describe('dump.sh', () => {
  test('PostgreSQL: dumps, verifies, uploads the dump and its sha256 sidecar under <prefix>/<yyyy>/<mm>/<dd>/<timestamp>.dump', () => {
    // WHEN
    const run = runScript(BASE_ENV);

    // THEN
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const key = 'dumps/2026/01/15/20260115T020003+0900.dump';
    const dump = Buffer.from('PGDMP custom archive');
    const sha256 = crypto.createHash('sha256').update(dump).digest('hex');
    expect(run.uploaded).toEqual({
      [`dump-bucket/${key}`]: dump,
      [`dump-bucket/${key}.sha256`]: Buffer.from(`${sha256}  20260115T020003+0900.dump\n`),
    });
    expect(run.awsCalls).toEqual([
      expect.stringMatching(new RegExp(`^s3 cp \\S+ s3://dump-bucket/${key.replace(/[+.]/g, '\\$&')} --checksum-algorithm SHA256 --metadata sha256=${sha256} --only-show-errors --no-progress$`)),
      expect.stringMatching(/ --checksum-algorithm SHA256 --content-type text\/plain --only-show-errors --no-progress$/),
    ]);
    expect(events(run.stdout)).toEqual([{ event: 'dump-succeeded', bucket: 'dump-bucket', key, sha256, bytes: dump.length, engine: 'postgresql' }]);
    expect(run.workFiles).toEqual([]);
    expect(run.stdout).not.toContain('p@ss');
  });

  test('MySQL: passes the credentials in a quoted option file with TLS verification, and checks the dump trailer', () => {
    // WHEN
    const run = runScript({ ...BASE_ENV, DUMP_ENGINE: 'mysql', DB_PORT: '3306', DB_USER: 'admin' });

    // THEN
    expect(run.status).toBe(0);
    expect(run.mysqlOptions).toBe([
      '[client]',
      'user="admin"',
      'password="p@ss\\"w\\\\rd#1"',
      'host=prod-db.abc123.ap-northeast-1.rds.amazonaws.com',
      'port=3306',
      'ssl-ca=/etc/ssl/rds/global-bundle.pem',
      'ssl-verify-server-cert',
      '',
    ].join('\n'));
    expect(events(run.stdout)).toEqual([expect.objectContaining({ event: 'dump-succeeded', engine: 'mysql' })]);
    expect(run.workFiles).toEqual([]);
  });

  test('a truncated MySQL dump fails at the verify step and is not uploaded', () => {
    const run = runScript({ ...BASE_ENV, DUMP_ENGINE: 'mysql' }, { truncatedMysql: true });
    expect(run.status).toBe(1);
    expect(run.awsCalls).toEqual([]);
    expect(events(run.stdout)).toEqual([
      { event: 'dump-failed', bucket: 'dump-bucket', key: 'dumps/2026/01/15/20260115T020003+0900.dump', step: 'verify', exitCode: 1 },
    ]);
  });

  test('a failed pg_dump reports dump-failed with the step and exit code, uploads nothing and leaves no file', () => {
    const run = runScript(BASE_ENV, { pgDumpFails: true });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('connection refused');
    expect(run.awsCalls).toEqual([]);
    expect(events(run.stdout)).toEqual([
      { event: 'dump-failed', bucket: 'dump-bucket', key: 'dumps/2026/01/15/20260115T020003+0900.dump', step: 'dump', exitCode: 1 },
    ]);
    expect(run.workFiles).toEqual([]);
  });

  test('a dump that runs past DUMP_TIMEOUT_SECONDS is stopped and reported as failed at the dump step', () => {
    const started = Date.now();
    const run = runScript({ ...BASE_ENV, DUMP_TIMEOUT_SECONDS: '1' }, { pgDumpHangs: true });
    expect(Date.now() - started).toBeLessThan(15_000);
    // 124: timeout's exit status when it stopped the command.
    expect(run.status).toBe(124);
    expect(run.awsCalls).toEqual([]);
    expect(events(run.stdout)).toEqual([
      { event: 'dump-failed', bucket: 'dump-bucket', key: 'dumps/2026/01/15/20260115T020003+0900.dump', step: 'dump', exitCode: 124 },
    ]);
    expect(run.workFiles).toEqual([]);
  });

  test('a failed upload reports dump-failed at the upload step', () => {
    const run = runScript(BASE_ENV, { awsFails: true });
    expect(run.status).toBe(1);
    expect(events(run.stdout)).toEqual([expect.objectContaining({ event: 'dump-failed', step: 'upload', exitCode: 1 })]);
    expect(run.workFiles).toEqual([]);
  });

  test('a missing setting fails before anything runs', () => {
    const { DB_PASSWORD: _omitted, ...env } = BASE_ENV;
    const run = runScript(env);
    expect(run.status).toBe(64);
    expect(run.stderr).toBe('dump.sh: DB_PASSWORD is not set\n');
    expect(events(run.stdout)).toEqual([{ event: 'dump-failed', bucket: 'dump-bucket', key: '', step: 'check-environment', exitCode: 64 }]);
  });

  test('an unknown engine is refused', () => {
    const run = runScript({ ...BASE_ENV, DUMP_ENGINE: 'oracle' });
    expect(run.status).toBe(64);
    expect(run.stderr).toBe('dump.sh: DUMP_ENGINE must be postgresql or mysql, not oracle\n');
  });
});
