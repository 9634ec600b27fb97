/**
 * A guest's request to the metadata API as the network driver's proxy
 * forwards it: over compute's unix socket, with the guest's address and the
 * network it came from.
 */
import { request } from 'node:http';

export function metadataGet(socketPath: string, path: string, guest: { ip: string; networkId: string }): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ socketPath, path, headers: { 'x-forwarded-for': guest.ip, 'x-neutron-network-id': guest.networkId } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}
