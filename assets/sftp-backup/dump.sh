#!/bin/sh
# Logical dump of one RDS database to S3, run by the SftpBackupBridge ECS task (cdk-gov-hybrid-network).
#
# Environment (set by the task definition):
#   DUMP_ENGINE             postgresql | mysql
#   DB_HOST DB_PORT DB_NAME the database endpoint and the database to dump
#   DB_USER DB_PASSWORD     injected by ECS from the database's Secrets Manager secret
#   DUMP_BUCKET DUMP_PREFIX where the dump goes: s3://$DUMP_BUCKET/$DUMP_PREFIX/<yyyy>/<mm>/<dd>/<timestamp>.dump
#   TZ                      time zone of the key's date and timestamp (the schedule's), e.g. Asia/Tokyo
#   WORK_DIR                writable directory that holds the dump before the upload (default /work)
#   DUMP_TIMEOUT_SECONDS    the longest pg_dump/mysqldump may run (default 14400); then it is stopped and the run fails
#   RDS_CA_BUNDLE           CA bundle to verify the database's TLS certificate
#
# Output: one JSON line per outcome on stdout. The bridge's metric filters count {"event":"dump-succeeded"} (the
# missed-run alarm) and {"event":"dump-failed"} (the failed-run alarm). The password never reaches the output.
set -eu

work_dir=${WORK_DIR:-/work}
dump_timeout=${DUMP_TIMEOUT_SECONDS:-14400}
ca_bundle=${RDS_CA_BUNDLE:-/etc/ssl/rds/global-bundle.pem}
bucket=${DUMP_BUCKET:-}
key=""
step="check-environment"
dump_file=""
sum_file=""
cnf_file=""

# Escapes a value for a JSON string.
json() {
  printf '%s' "$1" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' | tr -d '\n\r'
}

on_exit() {
  status=$?
  rm -f "$dump_file" "$sum_file" "$cnf_file"
  if [ "$status" -ne 0 ]; then
    printf '{"event":"dump-failed","bucket":"%s","key":"%s","step":"%s","exitCode":%d}\n' \
      "$(json "$bucket")" "$(json "$key")" "$step" "$status"
  fi
  exit "$status"
}
trap on_exit EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

for name in DUMP_ENGINE DB_HOST DB_PORT DB_NAME DB_USER DB_PASSWORD DUMP_BUCKET DUMP_PREFIX; do
  eval "value=\${$name:-}"
  if [ -z "$value" ]; then
    echo "dump.sh: $name is not set" >&2
    exit 64
  fi
done

# One date call, so that the directory and the timestamp never straddle midnight.
now=$(date +%Y/%m/%d/%Y%m%dT%H%M%S%z)
stamp=${now##*/}
key="${DUMP_PREFIX}/${now%/*}/${stamp}.dump"
dump_file="${work_dir}/${stamp}.dump"
sum_file="${dump_file}.sha256"
umask 077

step="dump"
case "$DUMP_ENGINE" in
  postgresql)
    # Custom format: compressed, restorable table by table with pg_restore. TLS with certificate verification.
    PGPASSWORD=$DB_PASSWORD PGSSLMODE=verify-full PGSSLROOTCERT=$ca_bundle PGCONNECT_TIMEOUT=30 \
      timeout "$dump_timeout" pg_dump --host="$DB_HOST" --port="$DB_PORT" --username="$DB_USER" --dbname="$DB_NAME" \
        --format=custom --no-password --file="$dump_file"
    step="verify"
    # Reads the archive's table of contents: a truncated or corrupt archive fails here, not at restore time.
    pg_restore --list "$dump_file" > /dev/null
    ;;
  mysql)
    # Credentials through an option file (mode 600), not the command line or MYSQL_PWD.
    cnf_file="${work_dir}/client.cnf"
    escaped_user=$(printf '%s' "$DB_USER" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
    escaped_password=$(printf '%s' "$DB_PASSWORD" | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')
    {
      echo '[client]'
      printf 'user="%s"\n' "$escaped_user"
      printf 'password="%s"\n' "$escaped_password"
      printf 'host=%s\n' "$DB_HOST"
      printf 'port=%s\n' "$DB_PORT"
      printf 'ssl-ca=%s\n' "$ca_bundle"
      echo 'ssl-verify-server-cert'
    } > "$cnf_file"
    dump_tool=$(command -v mysqldump || command -v mariadb-dump)
    # --single-transaction: a consistent snapshot of InnoDB tables without locking them.
    timeout "$dump_timeout" "$dump_tool" --defaults-extra-file="$cnf_file" --single-transaction --routines --triggers --events --hex-blob \
      --result-file="$dump_file" "$DB_NAME"
    step="verify"
    # mysqldump writes this trailer last; a dump cut short does not have it.
    tail -n 1 "$dump_file" | grep -q '^-- Dump completed'
    ;;
  *)
    echo "dump.sh: DUMP_ENGINE must be postgresql or mysql, not $DUMP_ENGINE" >&2
    exit 64
    ;;
esac

step="checksum"
sha256=$(sha256sum "$dump_file" | cut -d ' ' -f 1)
if [ "${#sha256}" -ne 64 ]; then
  echo "dump.sh: could not compute the SHA-256 of the dump" >&2
  exit 1
fi
bytes=$(wc -c < "$dump_file" | tr -d ' ')
# sha256sum -c format, with the file name the backup server downloads the dump under.
printf '%s  %s\n' "$sha256" "${stamp}.dump" > "$sum_file"

step="upload"
# S3 verifies the SHA-256 of every part it receives; the sidecar holds the whole file's SHA-256 for the backup
# server (a multipart upload's S3 checksum is a checksum of the parts' checksums).
aws s3 cp "$dump_file" "s3://${DUMP_BUCKET}/${key}" --checksum-algorithm SHA256 \
  --metadata "sha256=${sha256}" --only-show-errors --no-progress
step="upload-checksum"
# Written after the dump: a .sha256 object means that its dump is complete.
aws s3 cp "$sum_file" "s3://${DUMP_BUCKET}/${key}.sha256" --checksum-algorithm SHA256 \
  --content-type text/plain --only-show-errors --no-progress

step="done"
printf '{"event":"dump-succeeded","bucket":"%s","key":"%s","sha256":"%s","bytes":%s,"engine":"%s"}\n' \
  "$(json "$DUMP_BUCKET")" "$(json "$key")" "$sha256" "$bytes" "$DUMP_ENGINE"
