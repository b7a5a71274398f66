/**
 * Checks of OpenSSH public key lines for Transfer Family service-managed users.
 *
 * Transfer Family stores the key text as given and only rejects it at deployment, after the server (billed per hour)
 * has been created. Checking the line at synth catches the common mistakes: a private key pasted instead of the
 * public one, a PEM/SSH2 block instead of the one-line OpenSSH form, a truncated or re-wrapped base64 body, or a
 * key type that Transfer Family does not accept (DSA, FIDO `sk-` keys).
 *
 * @see https://docs.aws.amazon.com/transfer/latest/userguide/key-management.html
 */

/** The key types Transfer Family accepts for service-managed users' SSH public keys. */
export const SUPPORTED_SSH_KEY_TYPES = ['ssh-rsa', 'ssh-ed25519', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521'];

/** What a check found: the problem (undefined when the line is valid) and a short, safe rendering of the value. */
export interface SshPublicKeyCheck {
  readonly problem?: string;
  /** The value to show in an error: the type and the start of the key body, never a private key. */
  readonly shown: string;
}

const HOW_TO = 'give the one-line OpenSSH public key, e.g. the contents of id_ed25519.pub ' +
  '("ssh-ed25519 AAAA... comment"; ssh-keygen -y -f <private key> prints it).';

/** Checks one OpenSSH public key line: `<type> <base64 body> [comment]`. */
export function checkSshPublicKey(line: string): SshPublicKeyCheck {
  const text = line.trim();
  if (/PRIVATE KEY/.test(text)) {
    return {
      shown: '(a private key, not shown)',
      problem: `is a private key. Never put a private key in code or templates: revoke it if it was shared, and ${HOW_TO}`,
    };
  }
  const parts = text.split(/\s+/);
  const shown = parts.length >= 2 ? `${parts[0]} ${parts[1].slice(0, 12)}...` : text.slice(0, 40);
  if (text === '') {
    return { shown: '', problem: `is empty; ${HOW_TO}` };
  }
  if (/[\r\n]/.test(text)) {
    return { shown, problem: `spans several lines (a PEM or SSH2 block?); ${HOW_TO}` };
  }
  const type = parts[0];
  if (!SUPPORTED_SSH_KEY_TYPES.includes(type)) {
    return {
      shown,
      problem: `has key type ${JSON.stringify(type)}, which Transfer Family does not accept; use ${SUPPORTED_SSH_KEY_TYPES.join(', ')}, and ${HOW_TO}`,
    };
  }
  if (parts.length < 2) {
    return { shown, problem: `has no key body after the type; ${HOW_TO}` };
  }
  const body = parts[1];
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(body) || body.length % 4 !== 0) {
    return { shown, problem: `has a key body that is not base64 (truncated or re-wrapped?); ${HOW_TO}` };
  }
  const blob = Buffer.from(body, 'base64');
  const fields = readSshStrings(blob);
  if (!fields) {
    return { shown, problem: `has a key body that is not an SSH public key blob (truncated?); ${HOW_TO}` };
  }
  const embedded = fields[0].toString('latin1');
  if (embedded !== type) {
    return { shown, problem: `says ${type} but its body holds a ${JSON.stringify(embedded)} key; ${HOW_TO}` };
  }
  const structural = structureProblem(type, fields.slice(1));
  return structural ? { shown, problem: `${structural}; ${HOW_TO}` } : { shown };
}

/** Splits an SSH wire-format blob into its length-prefixed strings; undefined unless it is exactly such a sequence. */
function readSshStrings(blob: Buffer): Buffer[] | undefined {
  const fields: Buffer[] = [];
  let offset = 0;
  while (offset < blob.length) {
    if (offset + 4 > blob.length) {
      return undefined;
    }
    const length = blob.readUInt32BE(offset);
    offset += 4;
    if (offset + length > blob.length) {
      return undefined;
    }
    fields.push(blob.subarray(offset, offset + length));
    offset += length;
  }
  return fields.length > 0 ? fields : undefined;
}

/** RFC 4253 (ssh-rsa: e, n), RFC 8709 (ssh-ed25519: 32-byte key), RFC 5656 (ecdsa: curve name, point). */
function structureProblem(type: string, fields: Buffer[]): string | undefined {
  if (type === 'ssh-rsa') {
    return fields.length === 2 ? undefined : 'has an RSA key body without exactly an exponent and a modulus';
  }
  if (type === 'ssh-ed25519') {
    return fields.length === 1 && fields[0].length === 32 ? undefined : 'has an Ed25519 key body that does not hold one 32-byte key';
  }
  const curve = type.replace('ecdsa-sha2-', '');
  const pointLength: Record<string, number> = { nistp256: 65, nistp384: 97, nistp521: 133 };
  if (fields.length !== 2 || fields[0].toString('latin1') !== curve || fields[1].length !== pointLength[curve]) {
    return `has an ECDSA key body that does not hold a ${curve} curve point`;
  }
  return undefined;
}
