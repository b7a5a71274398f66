import { ECDSA256_KEY, ECDSA384_KEY, ED25519_KEY, RSA_KEY } from './fixtures';
import { checkScheduleExpression } from '../../src/sftp-backup/schedule-expression';
import { checkSshPublicKey } from '../../src/sftp-backup/ssh-public-key';

const HOW_TO = 'give the one-line OpenSSH public key, e.g. the contents of id_ed25519.pub ("ssh-ed25519 AAAA... comment"; ssh-keygen -y -f <private key> prints it).';

describe('checkSshPublicKey', () => {
  test.each([ED25519_KEY, RSA_KEY, ECDSA256_KEY, ECDSA384_KEY, ED25519_KEY.split(' ').slice(0, 2).join(' '), `  ${ED25519_KEY}\n`])(
    'accepts a valid OpenSSH public key line: %s', (line) => {
      expect(checkSshPublicKey(line)).toEqual({ shown: expect.any(String) });
    });

  test('never shows a private key and says to revoke it', () => {
    const privateKey = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
    expect(checkSshPublicKey(privateKey)).toEqual({
      shown: '(a private key, not shown)',
      problem: `is a private key. Never put a private key in code or templates: revoke it if it was shared, and ${HOW_TO}`,
    });
  });

  test.each([
    ['', '', `is empty; ${HOW_TO}`],
    ['---- BEGIN SSH2 PUBLIC KEY ----\nAAAAC3NzaC1lZDI1NTE5\n---- END SSH2 PUBLIC KEY ----', '---- BEGIN...', `spans several lines (a PEM or SSH2 block?); ${HOW_TO}`],
    ['ssh-dss AAAAB3NzaC1kc3MAAACBAP comment', 'ssh-dss AAAAB3NzaC1k...',
      `has key type "ssh-dss", which Transfer Family does not accept; use ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, and ${HOW_TO}`],
    ['sk-ssh-ed25519@openssh.com AAAAGnNrLXNzaC1lZDI1NTE5QG9wZW5zc2guY29t',
      'sk-ssh-ed25519@openssh.com AAAAGnNrLXNz...',
      `has key type "sk-ssh-ed25519@openssh.com", which Transfer Family does not accept; use ssh-rsa, ssh-ed25519, ecdsa-sha2-nistp256, ecdsa-sha2-nistp384, ecdsa-sha2-nistp521, and ${HOW_TO}`],
    ['ssh-ed25519', 'ssh-ed25519', `has no key body after the type; ${HOW_TO}`],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHD9sdDJQ87XgDbQEK0Gwuq6FOf7qJjDSC09rnJoi7', 'ssh-ed25519 AAAAC3NzaC1l...',
      `has a key body that is not base64 (truncated or re-wrapped?); ${HOW_TO}`],
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHD9sdDJQ87XgDbQEK0Gwuq6FOf7qJjDSC09rnJoi7R!', 'ssh-ed25519 AAAAC3NzaC1l...',
      `has a key body that is not base64 (truncated or re-wrapped?); ${HOW_TO}`],
    // A base64 body cut at a 4-character boundary: the length prefix of the key points past the end.
    ['ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIEHD9sdDJQ87XgDbQEK0Gwuq6FOf', 'ssh-ed25519 AAAAC3NzaC1l...',
      `has a key body that is not an SSH public key blob (truncated?); ${HOW_TO}`],
    // The type says RSA, the body is an Ed25519 key.
    [`ssh-rsa ${ED25519_KEY.split(' ')[1]}`, 'ssh-rsa AAAAC3NzaC1l...', `says ssh-rsa but its body holds a "ssh-ed25519" key; ${HOW_TO}`],
    // The type says P-384, the body is a P-256 key.
    [`ecdsa-sha2-nistp384 ${ECDSA256_KEY.split(' ')[1]}`, 'ecdsa-sha2-nistp384 AAAAE2VjZHNh...',
      `says ecdsa-sha2-nistp384 but its body holds a "ecdsa-sha2-nistp256" key; ${HOW_TO}`],
    // A well-formed blob of type ssh-ed25519 whose key is 31 bytes, not 32.
    [`ssh-ed25519 ${Buffer.concat([lengthPrefixed('ssh-ed25519'), lengthPrefixed(Buffer.alloc(31, 1))]).toString('base64')}`, 'ssh-ed25519 AAAAC3NzaC1l...',
      `has an Ed25519 key body that does not hold one 32-byte key; ${HOW_TO}`],
  ])('reports %j', (line, shown, problem) => {
    expect(checkSshPublicKey(line)).toEqual({ shown, problem });
  });
});

function lengthPrefixed(value: string | Buffer): Buffer {
  const data = typeof value === 'string' ? Buffer.from(value, 'latin1') : value;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  return Buffer.concat([length, data]);
}

describe('checkScheduleExpression', () => {
  test.each([
    ['cron(0 2 * * ? *)', 24],
    ['cron(30 1,13 ? * * *)', 24],
    ['cron(0 */6 * * ? *)', 24],
    ['cron(0 2 ? * MON-FRI *)', undefined],
    ['cron(0 2 ? * 2-6 *)', undefined],
    ['cron(15 3 L * ? *)', undefined],
    ['cron(0 9 15W * ? *)', undefined],
    ['cron(0 9 ? * 6L *)', undefined],
    ['cron(0 9 ? * MON#2 *)', undefined],
    ['cron(0 2 1 JAN-DEC ? 2026-2030)', undefined],
    ['rate(1 day)', 24],
    ['rate(2 days)', 48],
    ['rate(12 hours)', 12],
    ['rate(30 minutes)', 0.5],
  ])('accepts %s (interval %s hours)', (expression, intervalHours) => {
    expect(checkScheduleExpression(expression)).toEqual({ intervalHours });
  });

  test.each([
    ['cron(0 2 * * *)', 'has 5 fields; Scheduler cron expressions have 6 (the year comes last)'],
    ['cron(0 25 * * ? *)', 'has hours field "25": 25 is outside 0-23'],
    ['cron(60 2 * * ? *)', 'has minutes field "60": 60 is outside 0-59'],
    ['cron(0 2 * 13 ? *)', 'has month field "13": 13 is outside 1-12 (or JAN-DEC)'],
    ['cron(0 2 ? * FUN *)', 'has day-of-week field "FUN": FUN is outside 1-7 (or SUN-SAT)'],
    ['cron(0 2 * * * *)', 'must have ? in exactly one of day-of-month and day-of-week (a value or * in the other)'],
    ['cron(0 2 ? * ? *)', 'must have ? in exactly one of day-of-month and day-of-week (a value or * in the other)'],
    ['cron(? 2 * * ? *)', 'has minutes field "?": ? is only allowed in day-of-month and day-of-week'],
    ['cron(0 2/0 * * ? *)', 'has hours field "2/0": a step must be 1 or more'],
    ['cron(0 *-3 * * ? *)', 'has hours field "*-3": "*-3" is not a value, a range a-b, a step a/n or */n, or a list of those'],
    ['cron(0 2,,3 * * ? *)', 'has hours field "2,,3": "" is not a value, a range a-b, a step a/n or */n, or a list of those'],
    ['rate(1 days)', 'uses "1 days"; Scheduler wants the singular unit for 1 and the plural otherwise, e.g. rate(1 day), rate(2 days)'],
    ['rate(2 hour)', 'uses "2 hour"; Scheduler wants the singular unit for 1 and the plural otherwise, e.g. rate(1 day), rate(2 days)'],
    ['rate(0 hours)', 'is not rate(value unit) with a positive whole value and a unit of minutes, hours or days'],
    ['rate(1 week)', 'is not rate(value unit) with a positive whole value and a unit of minutes, hours or days'],
    ['at(2026-01-15T02:00:00)', 'is a one-time at() schedule; a backup needs a recurring cron(...) or rate(...) expression, e.g. cron(0 2 * * ? *)'],
    ['0 2 * * ? *', 'is neither cron(...) nor rate(...)'],
  ])('rejects %s', (expression, problem) => {
    expect(checkScheduleExpression(expression)).toEqual({ problem });
  });
});
