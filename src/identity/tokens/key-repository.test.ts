import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { generateFernetKey } from './fernet.js';
import { KeyRepository, KeysNotFound } from './key-repository.js';

describe('KeyRepository', () => {
  let root: string;
  let directory: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'nimbus-fernet-'));
    directory = join(root, 'fernet-keys');
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  const files = (): string[] => readdirSync(directory).sort();
  const read = (name: string): string => readFileSync(join(directory, name), 'utf8');

  it('sets up a private directory with a primary 1 and a staged 0, each mode 0600', () => {
    new KeyRepository(directory).setup();
    assert.equal(statSync(directory).mode & 0o777, 0o700);
    assert.deepEqual(files(), ['0', '1']);
    for (const name of files()) assert.equal(statSync(join(directory, name)).mode & 0o777, 0o600);
  });

  it('leaves a repository that has keys alone on a second setup', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    const before = repository.load();
    repository.setup();
    assert.deepEqual(repository.load(), before);
  });

  it('loads the primary first, the staged key last', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    assert.deepEqual(repository.load(), [read('1'), read('0')]);
  });

  it('rotates: staged 0 becomes primary max+1, and a new key is staged', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    const [primary, staged] = repository.load();
    repository.rotate();
    assert.deepEqual(files(), ['0', '1', '2']);
    const [newPrimary, secondary, newStaged] = repository.load();
    assert.equal(newPrimary, staged);
    assert.equal(secondary, primary);
    assert.ok(newStaged !== staged && newStaged !== primary);
    assert.equal(statSync(join(directory, '0')).mode & 0o777, 0o600);
  });

  it('purges the oldest keys beyond maxActiveKeys, counting the staged key', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    for (let i = 0; i < 3; i += 1) repository.rotate();
    assert.deepEqual(files(), ['0', '3', '4']);

    const wider = new KeyRepository(directory, { maxActiveKeys: 5 });
    wider.rotate();
    wider.rotate();
    assert.deepEqual(files(), ['0', '3', '4', '5', '6']);
  });

  it('completes an interrupted rotation (no staged key) instead of promoting again', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    repository.rotate();
    unlinkSync(join(directory, '0'));
    writeFileSync(join(directory, '.key-1-abc.tmp'), 'half');
    repository.rotate();
    assert.deepEqual(files(), ['0', '1', '2']);
  });

  it('refuses to rotate or load an empty or missing repository', () => {
    const repository = new KeyRepository(directory);
    assert.throws(() => repository.load(), KeysNotFound);
    assert.throws(() => repository.rotate(), KeysNotFound);
    repository.setup();
    for (const name of files()) unlinkSync(join(directory, name));
    assert.throws(() => repository.rotate(), KeysNotFound);
    assert.throws(() => repository.load(), KeysNotFound);
  });

  it('ignores files not named by an integer and empty key files, as Keystone does', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    writeFileSync(join(directory, 'README'), 'not a key');
    writeFileSync(join(directory, '7'), '');
    writeFileSync(join(directory, '5'), `${generateFernetKey()}\n`);
    assert.deepEqual(repository.load(), [read('5').trim(), read('1'), read('0')]);
  });

  it('names the file holding something that is not a key', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    writeFileSync(join(directory, '2'), 'not-a-fernet-key');
    assert.throws(
      () => repository.load(),
      (error: Error) => error.message.includes(join(directory, '2')),
    );
  });

  it('changes its stamp on rotation, however quickly it follows', () => {
    const repository = new KeyRepository(directory);
    repository.setup();
    const before = repository.changeStamp();
    assert.equal(repository.changeStamp(), before);
    repository.rotate();
    assert.notEqual(repository.changeStamp(), before);
  });

  it('needs room for a primary and a staged key', () => {
    assert.throws(() => new KeyRepository(directory, { maxActiveKeys: 1 }), RangeError);
  });
});
