/** Content-Type from an object name's extension, as Swift's proxy guesses it (Python's mimetypes). */
const TYPES: Record<string, string> = {
  txt: 'text/plain',
  html: 'text/html',
  htm: 'text/html',
  css: 'text/css',
  csv: 'text/csv',
  js: 'application/javascript',
  json: 'application/json',
  xml: 'application/xml',
  pdf: 'application/pdf',
  zip: 'application/zip',
  gz: 'application/gzip',
  tar: 'application/x-tar',
  tgz: 'application/x-tar',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  ico: 'image/vnd.microsoft.icon',
  mp3: 'audio/mpeg',
  mp4: 'video/mp4',
  iso: 'application/x-iso9660-image',
  qcow2: 'application/octet-stream',
  img: 'application/octet-stream',
  md: 'text/markdown',
  yaml: 'application/yaml',
  yml: 'application/yaml',
};

export function guessContentType(name: string): string {
  const base = name.slice(name.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return (dot > 0 && TYPES[base.slice(dot + 1).toLowerCase()]) || 'application/octet-stream';
}
