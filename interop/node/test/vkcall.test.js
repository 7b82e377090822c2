// vk-call 2.x (VK's own Node client), unchanged, against the VK emulator:
// the setting is api_url (the host; vk-call appends /method/<name>) and the
// API version. vk-call POSTs a urlencoded body with access_token and v in it
// and no Content-Type header, turns VK errors into VKError with the code in
// type, and packs a chain of calls into one execute.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import vkcall from 'vk-call';

import { startSandbox } from '../lib/sandbox.js';

const { VK, errors } = vkcall;

describe('vk-call', { timeout: 120_000 }, () => {
  let sb;
  let creds;
  const mk = (token) => new VK({ token, api_url: sb.manifest.vk, version: '5.199', timeout: 10_000 });
  const vkJournal = (method) =>
    sb.control('GET', '/_mock/journal?' + new URLSearchParams({ party: 'vk', method }));

  before(async () => {
    sb = await startSandbox();
    creds = sb.vkCreds;
    await sb.control('PUT', '/_mock/vk/limits', { user_rps: 1000, community_rps: 1000, service_rps: 1000 });
  });
  after(async () => {
    const res = await sb?.stop();
    assert.equal(res?.code, 0, 'gosmock exits cleanly on SIGTERM');
  });

  test('groups.getById in the 5.199 shape with is_government_organization', async () => {
    const vk = mk(creds.service_token);
    const res = await vk.call('groups.getById', {
      group_id: creds.group_id,
      fields: 'is_government_organization,verified,city,has_photo',
    });
    assert.equal(res.groups.length, 1);
    const g = res.groups[0];
    assert.equal(g.id, creds.group_id);
    assert.equal(g.screen_name, creds.screen_name);
    assert.equal(g.is_government_organization, 0);
    assert.equal(g.has_photo, 1);
    assert.equal(g.city.title, 'Архангельск');
    const entries = await vkJournal('groups.getbyid');
    const last = entries[entries.length - 1];
    assert.equal(last.status, 200);
    assert.equal(last.params.group_id, String(creds.group_id), 'the body was read as a form');
    assert.equal(last.params.v, '5.199');
  });

  test('the form body vk-call sends has no Content-Type header', async () => {
    // A capture server in place of the emulator records what vk-call sends;
    // the emulator must read such a body as urlencoded (the test above).
    let seen;
    const server = http.createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d) => { body += d; });
      req.on('end', () => {
        seen = { method: req.method, url: req.url, type: req.headers['content-type'], body };
        res.setHeader('content-type', 'application/json');
        res.end('{"response":1}');
      });
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    try {
      const vk = new VK({ token: 't', api_url: `http://127.0.0.1:${server.address().port}`, version: '5.199' });
      assert.equal(await vk.call('groups.getById', { group_id: 1 }), 1);
    } finally {
      await new Promise((r) => server.close(r));
    }
    assert.equal(seen.method, 'POST');
    assert.equal(seen.url, '/method/groups.getById');
    assert.equal(seen.type, undefined);
    assert.equal(seen.body, 'group_id=1&access_token=t&v=5.199');
  });

  test('wall.post with guid: a repeat within the window is the same post', async () => {
    const vk = mk(creds.user_token);
    const first = await vk.call('wall.post', {
      owner_id: -creds.group_id, from_group: 1, message: 'Объявление', guid: 'vkcall-1',
    });
    assert.ok(first.post_id > 0);
    const again = await vk.call('wall.post', {
      owner_id: -creds.group_id, from_group: 1, message: 'Объявление', guid: 'vkcall-1',
    });
    assert.equal(again.post_id, first.post_id);
    const other = await vk.call('wall.post', {
      owner_id: -creds.group_id, from_group: 1, message: 'Объявление', guid: 'vkcall-2',
    });
    assert.notEqual(other.post_id, first.post_id, 'another guid is another post');
    const got = await vk.call('wall.getById', { posts: `-${creds.group_id}_${first.post_id}` });
    assert.equal(got.items.length, 1);
    assert.equal(got.items[0].text, 'Объявление');
  });

  test('API errors become VKError with the VK code', async () => {
    const vk = mk(creds.user_token);
    await assert.rejects(vk.call('groups.getSettings', {}), (err) => {
      assert.ok(err instanceof errors.VKError);
      assert.equal(err.name, errors.DOMAIN_NAME);
      assert.equal(err.type, errors.WRONG_PARAMETER);
      assert.equal(err.message, 'Domain error: One of the parameters specified was missing or invalid: group_id is undefined');
      return true;
    });
    const bad = mk('not-a-token');
    await assert.rejects(bad.call('groups.getById', { group_id: creds.group_id }), (err) => {
      assert.ok(err instanceof errors.VKError);
      assert.equal(err.type, errors.AUTH_FAILURE);
      assert.ok(!err.message.includes('not-a-token'), 'the token is not echoed');
      return true;
    });
  });

  test('chain: calls go out as one execute, failures map back to their calls', async () => {
    const vk = mk(creds.user_token);
    const before = (await vkJournal('execute')).length;
    const chain = vk.chain();
    const byId = chain.append('groups.getById', { group_id: creds.group_id });
    const resolved = chain.append('utils.resolveScreenName', { screen_name: creds.screen_name });
    const denied = chain.append('groups.getSettings', { group_id: 1 });
    const managers = chain.append('groups.getMembers', { group_id: creds.group_id, filter: 'managers' });
    const all = chain.done();
    const [a, b, c, d] = await Promise.allSettled([byId, resolved, denied, managers]);
    await all;
    assert.equal(a.value.groups[0].id, creds.group_id);
    assert.deepEqual(b.value, { type: 'page', object_id: creds.group_id });
    assert.equal(c.status, 'rejected');
    assert.ok(c.reason instanceof errors.VKError);
    assert.equal(c.reason.type, 125);
    assert.ok(d.value.items.some((m) => m.role === 'creator'));
    const after = (await vkJournal('execute')).length;
    assert.equal(after - before, 1, 'exactly one execute request');
  });
});
