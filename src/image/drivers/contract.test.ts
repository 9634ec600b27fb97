/**
 * The image store contract (see `store.ts`), run against every store this
 * host can run: the `file` store always. A store added later (Swift) adds one
 * `storeContract(...)` call, skipped with a reason where it cannot run.
 */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { describe, test } from 'node:test';
import { FileStore } from './file-store.js';
import { StoreObjectNotFound, StoreSizeLimitExceeded, StoreSizeMismatch, type ImageStore } from './index.js';

interface StoreUnderTest {
  store: ImageStore;
  /** Names of everything the store holds, temporaries included (to prove nothing is left behind). */
  leftovers(): string[];
  close(): void;
}

/** Yields `data` in chunks of `chunk` bytes, then fails with `failWith` if given. */
async function* chunks(data: Buffer, chunk = 64 * 1024, failWith?: Error): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += chunk) {
    yield data.subarray(at, Math.min(at + chunk, data.length));
    await Promise.resolve();
  }
  if (failWith) throw failWith;
}

const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');
const sha512 = (data: Buffer) => createHash('sha512').update(data).digest('hex');

function storeContract(name: string, open: () => StoreUnderTest, skip: string | false = false): void {
  describe(`image store contract: ${name}`, { skip }, () => {
    const withStore = (fn: (s: StoreUnderTest) => Promise<void>) => async () => {
      const s = open();
      try {
        await fn(s);
      } finally {
        s.close();
      }
    };

    test(
      'a write returns size, md5 and sha512 of the bytes, and reads give them back',
      withStore(async ({ store }) => {
        const data = randomBytes(3 * 1024 * 1024 + 17);
        const stored = await store.write('img-1', chunks(data));
        assert.deepEqual(stored.multihash, { algo: 'sha512', value: sha512(data) });
        assert.equal(stored.size, data.length);
        assert.equal(stored.checksum, md5(data));
        assert.equal(stored.location, store.locate('img-1'));
        assert.deepEqual(await buffer(await store.read(stored.location)), data);
        assert.equal(await store.size(stored.location), data.length);
        // A node stream is accepted as well as an async iterable.
        const again = await store.write('img-2', Readable.from(chunks(data, 1000)));
        assert.equal(again.checksum, stored.checksum);
      }),
    );

    test(
      'range reads give exactly the inclusive range',
      withStore(async ({ store }) => {
        const data = randomBytes(100_000);
        const { location } = await store.write('ranged', chunks(data));
        for (const [start, end] of [
          [0, 0],
          [10, 99],
          [99_999, 99_999],
          [0, 99_999],
          [65_530, 65_545],
        ] as const) {
          assert.deepEqual(await buffer(await store.read(location, { start, end })), data.subarray(start, end + 1), `${start}-${end}`);
        }
      }),
    );

    test(
      'an empty object is an object',
      withStore(async ({ store }) => {
        const stored = await store.write('empty', chunks(Buffer.alloc(0)));
        assert.equal(stored.size, 0);
        assert.equal(stored.checksum, md5(Buffer.alloc(0)));
        assert.equal((await buffer(await store.read(stored.location))).length, 0);
      }),
    );

    test(
      'data shorter or longer than announced fails with StoreSizeMismatch and leaves nothing',
      withStore(async ({ store, leftovers }) => {
        const data = randomBytes(10_000);
        await assert.rejects(store.write('short', chunks(data), { expectedSize: 10_001 }), StoreSizeMismatch);
        await assert.rejects(store.write('long', chunks(data), { expectedSize: 9_999 }), StoreSizeMismatch);
        assert.deepEqual(leftovers(), []);
        await store.write('exact', chunks(data), { expectedSize: 10_000 });
        assert.deepEqual(leftovers(), ['exact']);
      }),
    );

    test(
      'data past maxSize fails with StoreSizeLimitExceeded, before reading the rest',
      withStore(async ({ store, leftovers }) => {
        let yielded = 0;
        async function* endless(): AsyncGenerator<Buffer> {
          for (;;) {
            yielded++;
            yield Buffer.alloc(4096);
          }
        }
        await assert.rejects(store.write('big', endless(), { maxSize: 10_000 }), (err) => err instanceof StoreSizeLimitExceeded && err.limit === 10_000);
        assert.ok(yielded <= 3, `read ${yielded} chunks`);
        // An announced size above the limit is refused without reading at all.
        yielded = 0;
        await assert.rejects(store.write('big', endless(), { maxSize: 10, expectedSize: 11 }), StoreSizeLimitExceeded);
        assert.equal(yielded, 0);
        assert.deepEqual(leftovers(), []);
      }),
    );

    test(
      'a source that fails mid-way rejects with its error and leaves nothing, an older object intact',
      withStore(async ({ store, leftovers }) => {
        const old = randomBytes(5000);
        const { location } = await store.write('victim', chunks(old));
        const cut = new Error('client went away');
        await assert.rejects(store.write('victim', chunks(randomBytes(3 * 1024 * 1024), 64 * 1024, cut)), (err) => err === cut);
        assert.deepEqual(leftovers(), ['victim']);
        assert.deepEqual(await buffer(await store.read(location)), old);
      }),
    );

    test(
      'an abort signal stops the write and leaves nothing',
      withStore(async ({ store, leftovers }) => {
        const controller = new AbortController();
        async function* slow(): AsyncGenerator<Buffer> {
          yield Buffer.alloc(1000);
          controller.abort(new Error('stopping'));
          yield Buffer.alloc(1000);
        }
        await assert.rejects(store.write('aborted', slow(), { signal: controller.signal }), /stopping/);
        assert.deepEqual(leftovers(), []);
      }),
    );

    test(
      'a rewrite replaces the object: readers see the old or the new bytes, never a prefix',
      withStore(async ({ store }) => {
        const first = randomBytes(2 * 1024 * 1024);
        const second = randomBytes(2 * 1024 * 1024);
        const { location } = await store.write('same', chunks(first));
        let release = () => {};
        const gate = new Promise<void>((resolve) => {
          release = resolve;
        });
        async function* held(): AsyncGenerator<Buffer> {
          yield second.subarray(0, 1024 * 1024);
          await gate;
          yield second.subarray(1024 * 1024);
        }
        const writing = store.write('same', held());
        await new Promise((resolve) => setTimeout(resolve, 20));
        assert.deepEqual(await buffer(await store.read(location)), first, 'mid-write, the old bytes');
        release();
        const rewritten = await writing;
        assert.equal(rewritten.location, location);
        assert.deepEqual(await buffer(await store.read(location)), second);
      }),
    );

    test(
      'delete is idempotent; reading a deleted object is StoreObjectNotFound',
      withStore(async ({ store }) => {
        const { location } = await store.write('gone', chunks(randomBytes(10)));
        await store.delete(location);
        await store.delete(location);
        await assert.rejects(store.read(location), StoreObjectNotFound);
        assert.equal(await store.size(location), null);
      }),
    );
  });
}

storeContract('file', () => {
  const root = mkdtempSync(join(tmpdir(), 'nimbus-file-store-'));
  return {
    store: new FileStore({ id: 'file', root }),
    leftovers: () => readdirSync(root).sort(),
    close: () => rmSync(root, { recursive: true, force: true }),
  };
});

describe('file store specifics', () => {
  test('locations are file URLs under the root; foreign locations are refused', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nimbus-file-store-'));
    try {
      const store = new FileStore({ id: 'file', root });
      const { location } = await store.write('abc', chunks(Buffer.from('hello')));
      assert.equal(location, `file://${root}/abc`);
      await assert.rejects(store.read('file:///etc/passwd'), /not in file store/);
      await assert.rejects(store.delete(`file://${root}/../x`), /not in file store/);
      await assert.rejects(store.write('../escape', chunks(Buffer.from('x'))), /Invalid object key/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test('sweep removes temporaries a crash left, sparing recent ones and objects', async () => {
    const root = mkdtempSync(join(tmpdir(), 'nimbus-file-store-'));
    try {
      const store = new FileStore({ id: 'file', root });
      await store.write('kept', chunks(Buffer.from('data')));
      writeFileSync(join(root, '.tmp-old.123'), 'torn');
      const past = new Date(Date.now() - 3_600_000);
      utimesSync(join(root, '.tmp-old.123'), past, past);
      writeFileSync(join(root, '.tmp-new.456'), 'in progress');
      assert.equal(await store.sweep(60_000), 1);
      assert.deepEqual(readdirSync(root).sort(), ['.tmp-new.456', 'kept']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  test("sweep of one key removes only that key's temporaries older than asked", async () => {
    const root = mkdtempSync(join(tmpdir(), 'nimbus-file-store-'));
    try {
      const store = new FileStore({ id: 'file', root });
      const minuteAgo = new Date(Date.now() - 60_000);
      for (const name of ['.tmp-abc.1', '.tmp-abcd.2', '.tmp-other.3']) {
        writeFileSync(join(root, name), 'torn');
        utimesSync(join(root, name), minuteAgo, minuteAgo);
      }
      writeFileSync(join(root, '.tmp-abc.4'), 'a new upload of the same key');
      assert.equal(await store.sweep(10_000, 'abc'), 1);
      assert.deepEqual(readdirSync(root).sort(), ['.tmp-abc.4', '.tmp-abcd.2', '.tmp-other.3']);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});
