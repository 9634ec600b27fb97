/**
 * SSH and X.509 public keys as Nova handles them: generation of an RSA key
 * pair in OpenSSH format (Nova returns the private key once), validation of
 * imported keys, and fingerprints (MD5 of the key blob for ssh, SHA-1 of the
 * DER certificate for x509, colon-separated hex as Nova prints them).
 */
import { createHash, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { keypairErrors } from '../errors.js';

const SSH_TYPES = [
  'ssh-rsa',
  'ssh-dss',
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
];

function colonHex(digest: Buffer): string {
  return digest.toString('hex').match(/../g)!.join(':');
}

function sshString(value: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(value.length);
  return Buffer.concat([length, value]);
}

/** An SSH mpint: big-endian, with a leading zero byte when the high bit is set. */
function mpint(value: Buffer): Buffer {
  let bytes = value;
  while (bytes.length > 1 && bytes[0] === 0 && (bytes[1]! & 0x80) === 0) bytes = bytes.subarray(1);
  if ((bytes[0]! & 0x80) !== 0) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return sshString(bytes);
}

export interface GeneratedKey {
  publicKey: string;
  privateKey: string;
  fingerprint: string;
}

/** A fresh 2048-bit RSA key pair (as Nova's `generate_key_pair`), the public key in OpenSSH format. */
export function generateSshKey(comment: string): GeneratedKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048, publicExponent: 65537 });
  const jwk = publicKey.export({ format: 'jwk' });
  const blob = Buffer.concat([
    sshString(Buffer.from('ssh-rsa')),
    mpint(Buffer.from(jwk.e as string, 'base64url')),
    mpint(Buffer.from(jwk.n as string, 'base64url')),
  ]);
  return {
    publicKey: `ssh-rsa ${blob.toString('base64')} ${comment}`,
    privateKey: privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    fingerprint: colonHex(createHash('md5').update(blob).digest()),
  };
}

/** Checks an imported OpenSSH public key and returns its fingerprint, or 400 as Nova's "Keypair data is invalid". */
export function sshFingerprint(publicKey: string): string {
  const [type, data] = publicKey.trim().split(/\s+/);
  const invalid = keypairErrors.invalidFingerprint();
  if (!type || !data || !SSH_TYPES.includes(type)) throw invalid;
  const blob = Buffer.from(data, 'base64');
  if (blob.length < 4 || blob.toString('base64').replace(/=+$/, '') !== data.replace(/=+$/, '')) throw invalid;
  const nameLength = blob.readUInt32BE(0);
  if (blob.subarray(4, 4 + nameLength).toString() !== type) throw invalid;
  return colonHex(createHash('md5').update(blob).digest());
}

/** Checks an imported PEM certificate and returns its SHA-1 fingerprint. */
export function x509Fingerprint(certificate: string): string {
  try {
    return colonHex(createHash('sha1').update(new X509Certificate(certificate).raw).digest());
  } catch {
    throw keypairErrors.invalidFingerprint();
  }
}
