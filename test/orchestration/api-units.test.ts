/** The api room's pure parts: Heat's fault body, query values, request bodies, the cfn URL signature. */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BadRequest, NotFound } from '../../src/core/errors.js';
import { renderHeatFault } from '../../src/orchestration/errors/api.js';
import { boolParam, intParam, parseTags, queryValues } from '../../src/orchestration/api/params.js';
import { requestEnvironment, stackRequest } from '../../src/orchestration/api/stack-body.js';
import { canonicalQuery, signatureV2, verifySignatureV2 } from '../../src/orchestration/api/cfn-signature.js';
import { resourceArn } from '../../src/orchestration/api/cfn.js';
import { isoTime, stackUrl } from '../../src/orchestration/api/views.js';

const noFetch = async (url: string): Promise<string> => {
  throw new Error(`unexpected fetch of ${url}`);
};

describe('heat fault body', () => {
  test('a typed Heat error keeps its type and the status picks title and explanation', () => {
    const body = renderHeatFault(new NotFound('The Stack (x) could not be found.', { type: 'EntityNotFound' }), 404);
    assert.deepEqual(body, {
      explanation: 'The resource could not be found.',
      code: 404,
      error: { message: 'The Stack (x) could not be found.', traceback: null, type: 'EntityNotFound' },
      title: 'Not Found',
    });
  });

  test('an untyped error is named after the webob class of its status', () => {
    const body = renderHeatFault(new BadRequest('No template specified'), 400) as { error: { type: string }; title: string };
    assert.equal(body.error.type, 'HTTPBadRequest');
    assert.equal(body.title, 'Bad Request');
  });
});

describe('query values', () => {
  test('booleans, integers and tags read as heat-api reads them', () => {
    const query = queryValues({ show_nested: 'True', limit: '3', tags: 'a,b' });
    assert.equal(boolParam(query, 'show_nested'), true);
    assert.equal(intParam(query, 'limit'), 3);
    assert.deepEqual(parseTags('a,b'), ['a', 'b']);
  });

  test('a bad boolean or integer is Heat 400 with its wording', () => {
    assert.throws(() => boolParam(queryValues({ with_count: 'yes' }), 'with_count'), {
      message: 'Unrecognized value "yes" for "with_count", acceptable values are: true, false.',
    });
    assert.throws(() => intParam(queryValues({ limit: 'x' }), 'limit'), { message: "Only integer is acceptable by 'limit'." });
    assert.throws(() => intParam(queryValues({ limit: '-1' }), 'limit'), {
      message: "Value '-1' is invalid for 'limit' which only accepts non-negative integer.",
    });
  });
});

describe('stack request bodies', () => {
  test('a YAML template string, an environment string and the arguments', async () => {
    const request = await stackRequest(
      {
        stack_name: 's',
        template: 'heat_template_version: 2016-04-08\nresources: {}\n',
        environment: 'parameters:\n  a: 1\n',
        parameters: { b: 'x' },
        timeout_mins: '5',
        tags: 'one,two',
        disable_rollback: true,
      },
      's',
      { fetchTemplate: noFetch },
    );
    assert.deepEqual(request.template, { heat_template_version: '2016-04-08', resources: {} });
    assert.deepEqual(request.environment, { parameters: { a: 1 } });
    assert.deepEqual(request.parameters, { b: 'x' });
    assert.equal(request.timeoutMins, 5);
    assert.deepEqual(request.tags, ['one', 'two']);
    assert.equal(request.disableRollback, true);
  });

  test('no template is "No template specified"; PATCH keeps the stack\'s', async () => {
    await assert.rejects(stackRequest({}, 's', { fetchTemplate: noFetch }), { message: 'No template specified' });
    const patched = await stackRequest({ parameters: { a: 1 } }, 's', { fetchTemplate: noFetch, patch: true, update: true, existingTemplate: { x: 1 } });
    assert.deepEqual(patched.template, { x: 1 });
    assert.equal(patched.existing, true);
  });

  test('template text without a version key, or not a mapping, is not in valid format', async () => {
    await assert.rejects(stackRequest({ template: 'resources: {}' }, 's', { fetchTemplate: noFetch }), {
      message: 'Template not in valid format: Template format version not found.',
    });
    await assert.rejects(stackRequest({ template: '- a' }, 's', { fetchTemplate: noFetch }), {
      message: 'Template not in valid format: The template is not a JSON object or YAML mapping.',
    });
  });

  test('an environment with an unknown section', () => {
    assert.throws(() => requestEnvironment({ environment: { nope: {} } }, {}), {
      message: 'Environment not in valid format: environment has wrong section "nope"',
    });
  });

  test('converge is refused on create', async () => {
    await assert.rejects(stackRequest({ template: { heat_template_version: '2016-04-08' }, converge: true }, 's', { fetchTemplate: noFetch }), {
      message: 'converge flag only supported in stack update (or update preview) request.',
    });
  });
});

describe('views', () => {
  test('times at seconds precision with Z, stack URLs quoted per segment', () => {
    assert.equal(isoTime('2026-01-02T03:04:05.678Z'), '2026-01-02T03:04:05Z');
    assert.equal(stackUrl('http://h/orchestration/v1', { projectId: 'p', name: 'a b', id: 'i' }), 'http://h/orchestration/v1/p/stacks/a%20b/i');
  });
});

describe('cfn signature v2', () => {
  const request = { verb: 'POST', host: '127.0.0.1:5000', path: '/orchestration/cfn/v1/signal/arn:x', params: { b: '2 3', a: '1', Signature: 'ignored' } };

  test('the canonical query sorts names, leaves out Signature and percent-encodes spaces as %20', () => {
    assert.equal(canonicalQuery(request.params), 'a=1&b=2%203');
  });

  test('a signature verifies with its secret only', () => {
    const signature = signatureV2('secret', request);
    assert.ok(verifySignatureV2('secret', request, signature));
    assert.ok(!verifySignatureV2('other', request, signature));
    assert.ok(!verifySignatureV2('secret', { ...request, verb: 'PUT' }, signature));
  });

  test("the signature is the one python-keystoneclient's Ec2Signer computes", () => {
    const params = { b: '2 3', a: '1', SignatureVersion: '2', SignatureMethod: 'HmacSHA256' };
    assert.equal(signatureV2('secret', { ...request, params }), '9hpXA/NTxjDk9QSgUr3bNOe4QJkuWVN887YAM7uwTY0=');
  });

  test("the resource ARN is Heat's", () => {
    assert.equal(resourceArn({ projectId: 'p', name: 'st', id: 'id1' }, 'wait'), 'arn:openstack:heat::p:stacks/st/id1/resources/wait');
  });
});
