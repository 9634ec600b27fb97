import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import { stripVTControlCharacters } from 'node:util';
import { createLogger } from './logger.js';

/** A stream that keeps what is written; `isTTY` as a terminal or a pipe would say. */
function capture(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(chunk.toString());
      done();
    },
  }) as unknown as NodeJS.WriteStream & { text(): string };
  Object.assign(stream, { isTTY, text: () => chunks.join('') });
  return stream;
}

test('auto: JSON lines when the output is not a terminal', () => {
  const out = capture(false);
  createLogger('info', 'auto', out).info({ port: 5000 }, 'ready');
  const line = JSON.parse(out.text().trim()) as Record<string, unknown>;
  assert.equal(line.msg, 'ready');
  assert.equal(line.port, 5000);
  assert.equal(line.service, 'nimbus');
});

test('auto: readable lines on a terminal, with the level and the fields', () => {
  const out = capture(true);
  createLogger('info', 'auto', out).warn({ port: 5000 }, 'ready');
  const text = stripVTControlCharacters(out.text());
  assert.throws(() => JSON.parse(text));
  assert.match(text, /WARN/);
  assert.match(text, /ready/);
  assert.match(text, /port: 5000/);
});

test('json and pretty are honoured whatever the output is', () => {
  const pipe = capture(false);
  createLogger('info', 'pretty', pipe).info('hello');
  assert.match(pipe.text(), /INFO.*hello/);
  assert.equal(stripVTControlCharacters(pipe.text()), pipe.text(), 'no colours into a pipe');
  const tty = capture(true);
  createLogger('info', 'json', tty).info('hello');
  assert.equal((JSON.parse(tty.text()) as { msg: string }).msg, 'hello');
});

test('the level filters, and unknown levels or formats are refused with the choices', () => {
  const out = capture(false);
  const log = createLogger('warn', 'json', out);
  log.info('quiet');
  log.error('loud');
  assert.deepEqual(
    out
      .text()
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { msg: string }).msg),
    ['loud'],
  );
  assert.throws(() => createLogger('verbose', 'json', out), /log level 'verbose' is not one of fatal, error/);
  // @ts-expect-error: a format from a config file is not checked by the compiler
  assert.throws(() => createLogger('info', 'xml', out), /log format 'xml' is not one of auto, json, pretty/);
});
