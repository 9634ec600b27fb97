/**
 * user_data as Heat hands it to Nova. RAW passes it unchanged; HEAT_CFNTOOLS
 * and SOFTWARE_CONFIG wrap it in a MIME multipart message as cloud-init
 * reads it: the user's data as the `cfn-userdata` part (x-cfninitdata) for
 * heat-cfntools, or as a plain part for software config. Heat's own
 * cloud-init helpers (boothook, part handler, loguserdata) are not added:
 * this cloud ships none for guests to run.
 */
import { randomBytes } from 'node:crypto';

function part(content: string, filename: string, subtype: string): string {
  // ASCII is the charset cloud-init expects when the content fits it.
  const charset = /^[\x00-\x7f]*$/.test(content) ? 'us-ascii' : 'utf-8';
  return [
    `Content-Type: text/${subtype}; charset="${charset}"`,
    'MIME-Version: 1.0',
    'Content-Transfer-Encoding: 7bit',
    `Content-Disposition: attachment; filename="${filename}"`,
    '',
    content,
  ].join('\n');
}

export function buildUserData(userData: string, format: string): string {
  if (format === 'RAW') return userData;
  const parts = format === 'HEAT_CFNTOOLS' ? [part(userData, 'cfn-userdata', 'x-cfninitdata')] : [part(userData, '', 'plain')];
  const boundary = `===============${randomBytes(8).toString('hex')}==`;
  return [
    `Content-Type: multipart/mixed; boundary="${boundary}"`,
    'MIME-Version: 1.0',
    '',
    ...parts.map((p) => `--${boundary}\n${p}`),
    `--${boundary}--`,
    '',
  ].join('\n');
}
