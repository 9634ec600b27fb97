/**
 * The multipart MIME text cloud-init reads, shaped as Python's email
 * package writes it (Heat builds OS::Heat::MultipartMime's message with
 * MIMEMultipart and MIMEText): a `===============<digits>==` boundary, each
 * part with its own Content-Type and MIME-Version, 7bit ASCII or base64
 * UTF-8 bodies.
 */
import { randomInt } from 'node:crypto';

export interface MimePart {
  body: string;
  /** `text/<subtype>`; plain when empty. */
  subtype: string;
  filename: string;
}

function renderPart(part: MimePart): string {
  const ascii = /^[\x00-\x7f]*$/.test(part.body);
  const headers = [
    `Content-Type: text/${part.subtype || 'plain'}; charset="${ascii ? 'us-ascii' : 'utf-8'}"`,
    'MIME-Version: 1.0',
    `Content-Transfer-Encoding: ${ascii ? '7bit' : 'base64'}`,
  ];
  if (part.filename) headers.push(`Content-Disposition: attachment; filename="${part.filename}"`);
  const body = ascii
    ? part.body
    : (
        Buffer.from(part.body, 'utf8')
          .toString('base64')
          .match(/.{1,76}/g) ?? []
      ).join('\n') + '\n';
  return `${headers.join('\n')}\n\n${body}`;
}

export function renderMultipart(parts: MimePart[]): string {
  const boundary = `===============${String(randomInt(1e9)).padStart(9, '0')}${String(randomInt(1e9)).padStart(10, '0')}==`;
  const head = `Content-Type: multipart/mixed; boundary="${boundary}"\nMIME-Version: 1.0\n\n`;
  return `${head}${parts.map((part) => `--${boundary}\n${renderPart(part)}`).join('\n')}\n--${boundary}--\n`;
}

function header(block: string, name: string): string | null {
  const match = new RegExp(`^${name}:\\s*(.*)$`, 'im').exec(block);
  return match?.[1]?.trim() ?? null;
}

/** The parts of a multipart message (another MultipartMime's config); none when the text is not multipart. */
export function parseMultipart(message: string): MimePart[] {
  const [head = ''] = message.split(/\r?\n\r?\n/, 1);
  const boundary = /boundary="?([^";]+)"?/i.exec(header(head, 'Content-Type') ?? '')?.[1];
  if (boundary === undefined || !/^multipart\//i.test(header(head, 'Content-Type') ?? '')) return [];
  const sections = message.split(`--${boundary}`).slice(1);
  const parts: MimePart[] = [];
  for (const section of sections) {
    if (section.startsWith('--')) break;
    const split = /\r?\n\r?\n/.exec(section);
    if (split === null) continue;
    const partHead = section.slice(0, split.index);
    let body = section.slice(split.index + split[0].length).replace(/\r?\n$/, '');
    if (/base64/i.test(header(partHead, 'Content-Transfer-Encoding') ?? '')) body = Buffer.from(body, 'base64').toString('utf8');
    else if (!body.endsWith('\n') && section.endsWith('\n')) body = `${body}\n`;
    const contentType = header(partHead, 'Content-Type') ?? 'text/plain';
    const subtype = /^[^/]+\/([^;\s]+)/.exec(contentType)?.[1] ?? 'plain';
    const filename = /filename="?([^";]+)"?/i.exec(header(partHead, 'Content-Disposition') ?? '')?.[1] ?? '';
    parts.push({ body, subtype, filename });
  }
  return parts;
}
