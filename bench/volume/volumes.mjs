#!/usr/bin/env node
/**
 * Volume figures on the `file` backend (qcow2), against a plain
 * `qemu-img convert` of the same image on the same disk, in the same run:
 * - create from image: N volumes (C at a time) from a SIZE_MIB raw image
 *   (random bytes, so nothing is sparse), seconds per volume and volumes/s;
 * - create from snapshot: N volumes from a snapshot of one of them (qcow2
 *   copy-on-write overlays), seconds per volume and volumes/s;
 * - the baseline: `qemu-img convert -f raw -O qcow2` of the image file, RUNS times.
 * Writes bench/results/volume-<date>.md and the raw JSON beside it.
 *
 *   npx tsc -p tsconfig.json && node bench/volume/volumes.mjs      # SIZE_MIB=256 N=8 C=2 RUNS=3
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;
const { startTestServer } = await import(join(root, 'dist/test/support/server.js'));
const SIZE_MIB = Number(process.env.SIZE_MIB ?? 256);
const N = Number(process.env.N ?? 8);
const C = Number(process.env.C ?? 2);
const RUNS = Number(process.env.RUNS ?? 3);

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const seconds = (ms) => +(ms / 1000).toFixed(3);

const s = await startTestServer((config) => {
  config.volume.backends.file = { ...config.volume.backends.file, volume_driver: 'file', volume_format: 'qcow2' };
});
try {
  const token = await s.adminToken();
  const project = (await s.request('GET', '/identity/v3/projects?name=admin', { token })).body.projects[0].id;
  const volumes = `/volume/v3/${project}`;
  await s.request('PUT', `${volumes}/os-quota-sets/${project}`, { token, body: { quota_set: { volumes: -1, gigabytes: -1, snapshots: -1 } } });

  const imageFile = join(s.dataDir, 'bench-image.raw');
  const imageBytes = Buffer.concat(Array.from({ length: SIZE_MIB }, () => randomBytes(1024 * 1024)));
  writeFileSync(imageFile, imageBytes);
  const image = (await s.request('POST', '/image/v2/images', { token, body: { name: 'bench', disk_format: 'raw', container_format: 'bare' } })).body;
  const upload = await fetch(`${s.url}/image/v2/images/${image.id}/file`, {
    method: 'PUT',
    headers: { 'x-auth-token': token, 'content-type': 'application/octet-stream' },
    body: imageBytes,
  });
  if (upload.status !== 204) throw new Error(`image upload: ${upload.status}`);

  // The baseline: what the backend's own copy costs without any service around it.
  const convert = [];
  for (let i = 0; i < RUNS; i++) {
    const out = join(s.dataDir, `bench-convert-${i}.qcow2`);
    const t = performance.now();
    execFileSync('qemu-img', ['convert', '-f', 'raw', '-O', 'qcow2', imageFile, out]);
    convert.push(performance.now() - t);
    rmSync(out);
  }

  const waitAvailable = async (id) => {
    for (;;) {
      const v = (await s.request('GET', `${volumes}/volumes/${id}`, { token })).body.volume;
      if (v.status === 'available') return;
      if (v.status.startsWith('error')) throw new Error(`volume ${id} failed`);
      await new Promise((r) => setTimeout(r, 20));
    }
  };
  /** Creates N volumes with `body`, C at a time; per-volume latencies and the wall time. */
  const batch = async (body) => {
    const latencies = [];
    const ids = [];
    let next = 0;
    const began = performance.now();
    await Promise.all(
      Array.from({ length: C }, async () => {
        while (next < N) {
          next++;
          const t = performance.now();
          const r = await s.request('POST', `${volumes}/volumes`, { token, body: { volume: { size: 1, ...body } } });
          if (r.status !== 202) throw new Error(r.text);
          await waitAvailable(r.body.volume.id);
          latencies.push(performance.now() - t);
          ids.push(r.body.volume.id);
        }
      }),
    );
    const wall = performance.now() - began;
    return { ids, perVolumeS: seconds(median(latencies)), perSecond: +(N / (wall / 1000)).toFixed(2), wallS: seconds(wall) };
  };

  const fromImage = await batch({ imageRef: image.id });
  const snapshot = (await s.request('POST', `${volumes}/snapshots`, { token, body: { snapshot: { volume_id: fromImage.ids[0] } } })).body.snapshot;
  for (;;) {
    if ((await s.request('GET', `${volumes}/snapshots/${snapshot.id}`, { token })).body.snapshot.status === 'available') break;
    await new Promise((r) => setTimeout(r, 20));
  }
  const fromSnapshot = await batch({ snapshot_id: snapshot.id });

  const results = {
    imageMiB: SIZE_MIB,
    volumes: N,
    concurrency: C,
    qemuImgConvertS: seconds(median(convert)),
    fromImage: { perVolumeS: fromImage.perVolumeS, perSecond: fromImage.perSecond, wallS: fromImage.wallS },
    fromSnapshot: { perVolumeS: fromSnapshot.perVolumeS, perSecond: fromSnapshot.perSecond, wallS: fromSnapshot.wallS },
  };
  const date = new Date().toISOString().slice(0, 10);
  mkdirSync(join(root, 'bench/results'), { recursive: true });
  writeFileSync(join(root, `bench/results/volume-${date}.json`), `${JSON.stringify(results)}\n`);
  const ratio = (x) => (x / results.qemuImgConvertS).toFixed(2);
  writeFileSync(
    join(root, `bench/results/volume-${date}.md`),
    [
      `# volume: create from image and from snapshot vs qemu-img convert (${date})`,
      '',
      `File backend, qcow2; a ${SIZE_MIB} MiB raw image of random bytes; ${N} volumes per phase, ${C} at a time; \`node bench/volume/volumes.mjs\`.`,
      '',
      '| what | seconds per volume (median) | volumes/s | vs qemu-img convert |',
      '| --- | --- | --- | --- |',
      `| \`qemu-img convert -f raw -O qcow2\` of the image file (median of ${RUNS}) | ${results.qemuImgConvertS} | ${(1 / results.qemuImgConvertS).toFixed(2)} | 1.00 |`,
      `| create from image (POST → available) | ${results.fromImage.perVolumeS} | ${results.fromImage.perSecond} | ${ratio(results.fromImage.perVolumeS)} |`,
      `| create from snapshot (qcow2 overlay) | ${results.fromSnapshot.perVolumeS} | ${results.fromSnapshot.perSecond} | ${ratio(results.fromSnapshot.perVolumeS)} |`,
      '',
    ].join('\n'),
  );
  console.log(JSON.stringify(results));
} finally {
  await s.close();
}
