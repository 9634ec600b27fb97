/**
 * The metadata proxy run inside a `qrouter-` or `qdhcp-` namespace (Neutron's
 * haproxy-based ns-metadata-proxy): it listens on 169.254.169.254:80 and
 * forwards each request to the compute service's metadata socket (a path, so
 * it crosses namespaces), adding `X-Forwarded-For: <client address>` and
 * `X-Neutron-Router-ID` or `X-Neutron-Network-ID`. Headers of those names sent
 * by the guest are dropped, so a guest cannot pose as another.
 *
 * A standalone script with Node's modules only: the driver starts it with
 * `ip netns exec <ns> node <this file> --socket S --pid-file P --router-id R`
 * (Node cannot enter a namespace itself). It writes its pid file once it
 * listens, which tells the driver it is up.
 *
 * (Run from the bundle, this file is built next to dist/nimbus.mjs.)
 */
import { writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import { parseArgs } from 'node:util';

const DROPPED = new Set(['x-forwarded-for', 'x-neutron-router-id', 'x-neutron-network-id', 'x-instance-id', 'x-instance-id-signature', 'x-tenant-id']);

function main(): void {
  const { values } = parseArgs({
    options: {
      socket: { type: 'string' },
      'pid-file': { type: 'string' },
      'router-id': { type: 'string' },
      'network-id': { type: 'string' },
      address: { type: 'string', default: '169.254.169.254' },
      port: { type: 'string', default: '80' },
    },
  });
  const socket = values.socket;
  const pidFile = values['pid-file'];
  const [header, id] = values['router-id'] ? ['x-neutron-router-id', values['router-id']] : ['x-neutron-network-id', values['network-id']];
  if (!socket || !pidFile || !id) {
    process.stderr.write('usage: metadata-proxy --socket PATH --pid-file PATH (--router-id ID | --network-id ID) [--address A] [--port P]\n');
    process.exit(2);
  }
  const server = createServer((req, res) => {
    const headers: IncomingHttpHeaders = {};
    for (const [name, value] of Object.entries(req.headers)) if (!DROPPED.has(name)) headers[name] = value;
    headers['x-forwarded-for'] = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    headers[header] = id;
    const upstream = request({ socketPath: socket, method: req.method, path: req.url, headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', (error) => {
      process.stderr.write(`metadata upstream ${socket}: ${error.message}\n`);
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('Metadata service unavailable\n');
    });
    req.pipe(upstream);
  });
  server.listen(Number(values.port), values.address, () => writeFileSync(pidFile, `${process.pid}\n`));
  process.on('SIGTERM', () => {
    server.close(() => process.exit(0));
    // Keep-alive connections would hold close() open.
    setTimeout(() => process.exit(0), 500).unref();
  });
}

main();
