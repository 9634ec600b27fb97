/**
 * Static web's settings and pages, as Swift's staticweb middleware has them:
 * the container's `X-Container-Meta-Web-*` values and the HTML listing of a
 * pseudo-directory (the document structure Swift documents for styling).
 */
import { listingDate } from '../proxy/timestamp.js';
import type { DbMetadata, Listed, ObjectRow } from '../storage/contract.js';

export interface WebSettings {
  /** Served for a directory path (`X-Container-Meta-Web-Index`). */
  index: string;
  /** Suffix of the `<status><suffix>` error pages (`X-Container-Meta-Web-Error`). */
  error: string;
  /** The raw `X-Container-Meta-Web-Listings` value: set at all makes paths web paths; true-ish lists them. */
  listings: string;
  listingsCss: string;
  /** Replaces `/v1/<account>/<container>` in a listing's title (`X-Container-Meta-Web-Listings-Label`). */
  listingsLabel: string;
  /** Content type of directory marker objects, `application/directory` unless set. */
  directoryType: string;
}

export function webSettings(metadata: DbMetadata): WebSettings {
  const value = (name: string) => (metadata[`x-container-meta-web-${name}`] ?? '').trim();
  return {
    index: value('index'),
    error: value('error'),
    listings: value('listings'),
    listingsCss: value('listings-css'),
    listingsLabel: value('listings-label'),
    directoryType: value('directory-type') || 'application/directory',
  };
}

/** Swift's human_readable: 1048576 is "1Mi"; each step rounds before the next division. */
export function humanReadable(bytes: number): string {
  const suffixes = 'KMGTPEZY';
  let value = bytes;
  let index = -1;
  while (value >= 1024 && index + 1 < suffixes.length) {
    index += 1;
    value = Math.round(value / 1024);
  }
  return index === -1 ? String(Math.trunc(value)) : `${Math.round(value)}${suffixes[index]}i`;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#x27;' };

function htmlEscape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] as string);
}

/** A path segment as a relative link; dots quoted so that `..` and `.` names stay names. */
function hrefFor(name: string): string {
  return pythonQuote(name).replaceAll('.', '%2E');
}

/** Python's `quote` (slashes kept): encodeURIComponent leaves a few more characters bare. */
function pythonQuote(text: string): string {
  return encodeURIComponent(text)
    .replaceAll('%2F', '/')
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Where a listing at `prefix` finds the style sheet: relative to the container unless absolute. */
function cssHref(css: string, prefix: string): string {
  if (/^(\/|https?:\/\/)/.test(css)) return encodeURI(css);
  return '../'.repeat(prefix.split('/').length - 1) + pythonQuote(css);
}

/** The listing's title: the request path, or the label followed by the path inside the container. */
export function listingTitle(settings: WebSettings, path: string): string {
  if (!settings.listingsLabel) return path;
  return `${settings.listingsLabel}/${path.split('/').slice(4).join('/')}`;
}

function styleBlock(settings: WebSettings, prefix: string, rules: string[]): string {
  if (settings.listingsCss) return `  <link rel="stylesheet" type="text/css" href="${htmlEscape(cssHref(settings.listingsCss, prefix))}" />\n`;
  return `  <style type="text/css">\n${rules.map((r) => `   ${r}\n`).join('')}  </style>\n`;
}

/** The 404 page when listings are off (and the index, if one is named, is missing). */
export function listingDisabledPage(settings: WebSettings, title: string, prefix: string): string {
  let body = `<!DOCTYPE html>\n<html>\n<head>\n<title>Listing of ${htmlEscape(title)}</title>\n`;
  body += styleBlock(settings, prefix, ['h1 {font-size: 1em; font-weight: bold;}', 'p {font-size: 2}']);
  body +=
    '</head>\n<body>  <h1>Web Listing Disabled</h1>   <p>The owner of this web site has disabled web listing.' +
    '   <p>If you are the owner of this web site, you can enable   web listing by setting X-Container-Meta-Web-Listings.</p>';
  if (settings.index) {
    body +=
      `<h1>Index File Not Found</h1> <p>The owner of this web site has set  <b>X-Container-Meta-Web-Index: ${htmlEscape(settings.index)}</b>. ` +
      ' However, this file is not found.</p>';
  }
  return `${body} </body>\n</html>\n`;
}

function row(classes: string, href: string, name: string, size: string, date: string): string {
  return (
    `   <tr class="${classes}">\n    <td class="colname"><a href="${href}">${htmlEscape(name)}</a></td>\n` +
    `    <td class="colsize">${size}</td>\n    <td class="coldate">${date}</td>\n   </tr>\n`
  );
}

/** The HTML listing of the entries under `prefix` (subdirectories first, then objects). */
export function renderWebListing(settings: WebSettings, title: string, prefix: string, entries: Array<Listed<ObjectRow>>): string {
  let body = `<!DOCTYPE html>\n<html>\n <head>\n  <title>Listing of ${htmlEscape(title)}</title>\n`;
  body += styleBlock(settings, prefix, [
    'h1 {font-size: 1em; font-weight: bold;}',
    'th {text-align: left; padding: 0px 1em 0px 1em;}',
    'td {padding: 0px 1em 0px 1em;}',
    'a {text-decoration: none;}',
  ]);
  body +=
    ` </head>\n <body>\n  <h1 id="title">Listing of ${htmlEscape(title)}</h1>\n  <table id="listing">\n   <tr id="heading">\n` +
    '    <th class="colname">Name</th>\n    <th class="colsize">Size</th>\n    <th class="coldate">Date</th>\n   </tr>\n';
  if (prefix) body += row('item', '../', '../', '&nbsp;', '&nbsp;').replace('<tr class="item">', '<tr id="parent" class="item">');
  for (const entry of entries) {
    if (!('subdir' in entry)) continue;
    const name = entry.subdir.slice(prefix.length);
    body += row('item subdir', `./${hrefFor(name)}`, name, '&nbsp;', '&nbsp;');
  }
  for (const entry of entries) {
    if (!('row' in entry)) continue;
    const name = entry.row.name.slice(prefix.length);
    const types = entry.row.contentType
      .split('/')
      .map((t) => `type-${htmlEscape(t.toLowerCase())}`)
      .join(' ');
    const date = htmlEscape(listingDate(entry.row.createdAt)).split('.')[0]!.replace('T', ' ');
    body += row(`item ${types}`, `./${hrefFor(name)}`, name, humanReadable(entry.row.size), date);
  }
  return `${body}  </table>\n </body>\n</html>\n`;
}
