// vk-io 4.x, unchanged, against the VK emulator: the settings are
// apiBaseUrl and an http agent (vk-io's default agent speaks https only).
// vk-io POSTs urlencoded bodies with access_token and v in the body, takes
// upload URLs and the long-poll server from the answers, and in 'parallel'
// mode packs queued calls into execute.

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';

import { APIError, VK } from 'vk-io';

import { eventually, png, startSandbox } from '../lib/sandbox.js';

describe('vk-io', { timeout: 120_000 }, () => {
  let sb;
  let agent;
  let creds;
  const mk = (token, extra = {}) =>
    new VK({ token, apiBaseUrl: sb.vkApiBaseUrl, agent, apiLimit: 20, ...extra });
  const vkJournal = (method) =>
    sb.control('GET', '/_mock/journal?' + new URLSearchParams({ party: 'vk', method }));

  before(async () => {
    sb = await startSandbox();
    agent = new http.Agent({ keepAlive: true });
    creds = sb.vkCreds;
    // vk-io spaces calls itself; the test lifts the emulator's per-second
    // limits so it does not depend on timing.
    await sb.control('PUT', '/_mock/vk/limits', { user_rps: 1000, community_rps: 1000, service_rps: 1000 });
  });
  after(async () => {
    agent?.destroy();
    const res = await sb?.stop();
    assert.equal(res?.code, 0, 'gosmock exits cleanly on SIGTERM');
  });

  test('sequential: groups.getById in the 5.199 shape with the gov fields', async () => {
    const vk = mk(creds.service_token);
    const res = await vk.api.groups.getById({
      group_id: creds.group_id,
      fields: ['is_government_organization', 'verified', 'description', 'city', 'has_photo'],
    });
    assert.equal(res.groups.length, 1);
    const g = res.groups[0];
    assert.equal(g.id, creds.group_id);
    assert.equal(g.screen_name, creds.screen_name);
    assert.equal(g.is_government_organization, 0);
    assert.equal(g.has_photo, 1);
    assert.equal(g.city.title, 'Архангельск');
    const [entry] = await vkJournal('groups.getbyid');
    assert.equal(entry.status, 200);
  });

  test('sequential: errors become APIError with VK code and message', async () => {
    const vk = mk(creds.user_token);
    await assert.rejects(vk.api.groups.getSettings({}), (err) => {
      assert.ok(err instanceof APIError);
      assert.equal(err.code, 100);
      assert.equal(err.message, 'Code №100 - One of the parameters specified was missing or invalid: group_id is undefined');
      return true;
    });
    const grp = mk(creds.community_token);
    await assert.rejects(grp.api.wall.post({ owner_id: -creds.group_id, message: 'x' }), (err) => err.code === 27);
  });

  test('sequential: wall.post with guid, photo upload chain, wall.getById', async () => {
    const vk = mk(creds.user_token);
    const photo = await vk.upload.wallPhoto({ group_id: creds.group_id, source: { value: png(8, 8), filename: 'p.png' } });
    assert.ok(photo.id > 0);
    const first = await vk.api.wall.post({
      owner_id: -creds.group_id, from_group: 1, message: 'Новость', guid: 'vkio-1', attachments: [photo.toString()],
    });
    const again = await vk.api.wall.post({ owner_id: -creds.group_id, from_group: 1, message: 'Новость', guid: 'vkio-1' });
    assert.equal(again.post_id, first.post_id, 'the same guid within an hour is the same post');
    const got = await vk.api.wall.getById({ posts: [`-${creds.group_id}_${first.post_id}`] });
    assert.equal(got.items[0].text, 'Новость');
    assert.equal(got.items[0].attachments[0].type, 'photo');
  });

  test('parallel: concurrent calls are packed into execute, failures map back', async () => {
    const vk = mk(creds.user_token, { apiMode: 'parallel', apiLimit: 1 });
    const before = (await vkJournal('execute')).length;
    const calls = [
      vk.api.groups.getById({ group_id: creds.group_id }),
      vk.api.utils.resolveScreenName({ screen_name: creds.screen_name }),
      vk.api.groups.getMembers({ group_id: creds.group_id, filter: 'managers' }),
      vk.api.groups.getSettings({ group_id: 1 }),
    ];
    const [byId, resolved, managers, bad] = await Promise.allSettled(calls);
    assert.equal(byId.value.groups[0].id, creds.group_id);
    assert.deepEqual(resolved.value, { type: 'page', object_id: creds.group_id });
    assert.ok(managers.value.items.some((m) => m.role === 'creator'));
    assert.equal(bad.status, 'rejected');
    assert.equal(bad.reason.code, 125);
    const after = (await vkJournal('execute')).length;
    assert.ok(after > before, 'at least one execute was sent');
    assert.ok(after - before < calls.length, 'fewer requests than calls');
  });

  test('error 6 from the emulator is absorbed by vk-io (pause and requeue)', async () => {
    await sb.control('PUT', '/_mock/vk/limits', { user_rps: 2, community_rps: 1000, service_rps: 1000 });
    try {
      const vk = mk(creds.user_token, { apiRequestMode: 'burst', apiLimit: 20 });
      const res = await Promise.all(
        Array.from({ length: 4 }, () => vk.api.groups.getById({ group_id: creds.group_id })),
      );
      assert.equal(res.length, 4);
      for (const r of res) assert.equal(r.groups[0].id, creds.group_id);
      const limited = (await vkJournal('groups.getbyid')).filter((e) => e.code === 6);
      assert.ok(limited.length > 0, 'the emulator answered error 6 at least once');
    } finally {
      await sb.control('PUT', '/_mock/vk/limits', { user_rps: 1000, community_rps: 1000, service_rps: 1000 });
    }
  });

  test('bots long poll delivers message_new', async () => {
    const admin = mk(creds.user_token);
    await admin.api.groups.setLongPollSettings({ group_id: creds.group_id, enabled: 1, message_new: 1 });
    const vk = mk(creds.community_token, { pollingGroupId: creds.group_id });
    const seen = [];
    vk.updates.on('message_new', (ctx) => {
      seen.push(ctx.text);
    });
    await vk.updates.startPolling();
    try {
      await sb.control('POST', '/_mock/vk/message', { group_id: creds.group_id, user_id: 800000002, text: 'Здравствуйте' });
      await eventually(() => seen.length > 0);
      assert.deepEqual(seen, ['Здравствуйте']);
    } finally {
      await vk.updates.stop();
    }
  });
});
