// Telegraf 4.16, unchanged, against the emulator: the only setting is
// telegram.apiRoot. Telegraf sends JSON for plain calls and multipart with
// an extra `method` field for uploads.

import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';

import { Telegraf, TelegramError } from 'telegraf';

import { eventually, lastCall, png, startSandbox } from '../lib/sandbox.js';

describe('Telegraf', { timeout: 90_000 }, () => {
  let sb;
  let tg;
  let chan;
  before(async () => {
    sb = await startSandbox();
    await sb.setLimits({ disabled: true });
    tg = new Telegraf(sb.creds.bot_token, { telegram: { apiRoot: sb.apiRoot } }).telegram;
    chan = sb.creds.channel_id;
  });
  after(async () => {
    const res = await sb?.stop();
    assert.equal(res?.code, 0, 'gosmock exits cleanly on SIGTERM');
  });

  test('getMe', async () => {
    const me = await tg.getMe();
    assert.equal(me.id, sb.creds.bot_id);
    assert.equal(me.is_bot, true);
    assert.equal(me.username, sb.creds.bot_username);
  });

  let textMsg;
  test('sendMessage to the channel by id and by @username', async () => {
    textMsg = await tg.sendMessage(chan, '<b>Новость</b>: приём заявлений открыт', { parse_mode: 'HTML' });
    assert.equal(textMsg.chat.id, chan);
    assert.equal(textMsg.chat.type, 'channel');
    assert.equal(textMsg.sender_chat.id, chan);
    assert.equal(textMsg.text, 'Новость: приём заявлений открыт');
    assert.deepEqual(textMsg.entities, [{ type: 'bold', offset: 0, length: 7 }]);
    const e = await lastCall(sb, 'sendmessage');
    assert.equal(e.params.chat_id, String(chan));

    const byName = await tg.sendMessage(sb.creds.channel_username, 'Второе сообщение');
    assert.equal(byName.chat.id, chan);
    assert.equal(byName.message_id, textMsg.message_id + 1);
    const kept = await sb.messages(chan);
    assert.deepEqual(
      kept.slice(-2).map((m) => m.text),
      [textMsg.text, 'Второе сообщение'],
    );
  });

  let photoId;
  test('sendPhoto with a Buffer upload, then by file_id', async () => {
    const data = png(64, 48);
    const msg = await tg.sendPhoto(chan, { source: data, filename: 'logo.png' }, { caption: 'Логотип' });
    const p = msg.photo.at(-1);
    assert.equal(msg.caption, 'Логотип');
    assert.deepEqual([p.width, p.height, p.file_size], [64, 48, data.length]);
    photoId = p.file_id;
    // Telegraf's multipart carries the method name as an extra field.
    const e = await lastCall(sb, 'sendphoto');
    assert.equal(e.params.method, 'sendPhoto');
    assert.equal(e.params.photo, `logo.png (${data.length} bytes)`);
    assert.equal(e.params.chat_id, String(chan));

    const link = await tg.getFileLink(photoId);
    const res = await fetch(link);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), data);

    const again = await tg.sendPhoto(chan, photoId);
    assert.equal(again.photo.at(-1).file_id, photoId);
    assert.equal((await lastCall(sb, 'sendphoto')).params.photo, photoId);
  });

  test('sendMediaGroup with uploads', async () => {
    const msgs = await tg.sendMediaGroup(chan, [
      { type: 'photo', media: { source: png(32, 32), filename: 'a.png' }, caption: 'Фотоотчёт' },
      { type: 'photo', media: { source: png(40, 30), filename: 'b.png' } },
    ]);
    assert.equal(msgs.length, 2);
    assert.ok(msgs[0].media_group_id);
    assert.equal(msgs[0].media_group_id, msgs[1].media_group_id);
    assert.equal(msgs[0].caption, 'Фотоотчёт');
    assert.deepEqual([msgs[1].photo.at(-1).width, msgs[1].photo.at(-1).height], [40, 30]);
    const e = await lastCall(sb, 'sendmediagroup');
    assert.equal(e.params.method, 'sendMediaGroup');
    const media = JSON.parse(e.params.media);
    assert.match(media[0].media, /^attach:\/\/[0-9a-f]{32}$/);
  });

  test('sendPoll', async () => {
    const msg = await tg.sendPoll(chan, 'Удобен ли новый сервис?', ['Да', 'Нет', 'Не пользовался']);
    assert.ok(msg.poll.id);
    assert.equal(msg.poll.question, 'Удобен ли новый сервис?');
    assert.deepEqual(
      msg.poll.options.map((o) => o.text),
      ['Да', 'Нет', 'Не пользовался'],
    );
    assert.equal(msg.poll.is_anonymous, true);
  });

  test('editMessageText', async () => {
    const msg = await tg.editMessageText(chan, textMsg.message_id, undefined, 'Новость (исправлено)');
    assert.equal(msg.message_id, textMsg.message_id);
    assert.equal(msg.text, 'Новость (исправлено)');
    assert.ok(msg.edit_date > 0);
    const kept = (await sb.messages(chan)).find((m) => m.message_id === textMsg.message_id);
    assert.equal(kept.text, 'Новость (исправлено)');
  });

  test('getUpdates: a message posted by a user, with offset confirmation', async () => {
    const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, 'Здравствуйте! Когда откроется запись?');
    const updates = await tg.getUpdates(5, 100, 0, undefined);
    const u = updates.find((x) => x.message?.message_id === posted.message_id);
    assert.ok(u, `update for message ${posted.message_id} in ${JSON.stringify(updates)}`);
    assert.equal(u.message.text, posted.text);
    assert.equal(u.message.chat.id, sb.creds.group_id);
    assert.equal(u.message.from.id, sb.ownerUserId);
    assert.deepEqual(await tg.getUpdates(0, 100, u.update_id + 1, undefined), []);
  });

  test('long polling with bot.launch() and bot.stop()', async () => {
    const bot = new Telegraf(sb.creds.bot_token, { telegram: { apiRoot: sb.apiRoot } });
    const seen = [];
    bot.on('message', (ctx) => {
      seen.push(ctx.message);
    });
    let launched;
    const ready = new Promise((resolve) => {
      launched = resolve;
    });
    const done = bot.launch(launched); // getMe, deleteWebhook, then getUpdates (timeout 50)
    await ready;
    await eventually(async () => (await lastCall(sb, 'deletewebhook'))?.status === 200);
    await new Promise((r) => setTimeout(r, 200)); // let the first long poll wait
    const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, '/start');
    await eventually(() => seen.length > 0);
    assert.equal(seen[0].message_id, posted.message_id);
    assert.equal(seen[0].text, '/start');
    bot.stop('test over'); // aborts the poll, then confirms with a final getUpdates
    await done;
    assert.deepEqual(await tg.getUpdates(0, 100, 0, undefined), []);
  });

  test('webhook with a secret token, answered with a webhook reply', async () => {
    const secret = 'interop-Secret_42';
    const bot = new Telegraf(sb.creds.bot_token, { telegram: { apiRoot: sb.apiRoot } });
    const seen = [];
    bot.on('message', async (ctx) => {
      seen.push(ctx.message);
      // webhookReply is on by default: deleteMessage goes back in the webhook
      // response ({"method":"deleteMessage",...}), which Telegram executes.
      await ctx.deleteMessage();
    });
    bot.botInfo = await bot.telegram.getMe();
    const server = http.createServer(bot.webhookCallback('/hook', { secretToken: secret }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${server.address().port}/hook`;
      assert.equal(await bot.telegram.setWebhook(url, { secret_token: secret }), true);
      const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, 'Спам');
      // Telegraf answers 403 without the right secret header.
      await eventually(() => seen.length > 0);
      assert.equal(seen[0].message_id, posted.message_id);
      await eventually(async () => !(await sb.messages(sb.creds.group_id)).some((m) => m.message_id === posted.message_id));
      const e = await lastCall(sb, 'deletemessage');
      assert.equal(e.status, 200);
      assert.equal(e.params.message_id, String(posted.message_id));
    } finally {
      await tg.deleteWebhook();
      server.close();
    }
  });

  test('chat not found is a TelegramError 400 with the exact description', async () => {
    for (const chat of [-1009999999999, '@no_such_channel_42']) {
      await assert.rejects(tg.sendMessage(chat, 'test'), (err) => {
        assert.ok(err instanceof TelegramError, String(err));
        assert.equal(err.code, 400);
        assert.equal(err.response.error_code, 400);
        assert.equal(err.description, 'Bad Request: chat not found');
        assert.equal(err.on.method, 'sendMessage');
        return true;
      });
    }
  });

  test('429 from a fault rule fills parameters.retry_after', async () => {
    await sb.addFault({ party: 'telegram', method: 'sendMessage', kind: 'rate_limit', retry_after: 17, first: 1 });
    try {
      await assert.rejects(tg.sendMessage(chan, 'test'), (err) => {
        assert.ok(err instanceof TelegramError, String(err));
        assert.equal(err.code, 429);
        assert.equal(err.description, 'Too Many Requests: retry after 17');
        assert.equal(err.parameters.retry_after, 17);
        return true;
      });
    } finally {
      await sb.clearFaults();
    }
  });

  test('429 from flood control', async () => {
    await sb.setLimits({ disabled: false, chat_per_second: 1, chat_burst: 1, global_per_second: 30, group_per_minute: 20 });
    try {
      let err;
      for (let i = 0; i < 5 && !err; i++) {
        await tg.sendMessage(sb.creds.group_id, `Сообщение ${i}`).catch((e) => {
          err = e;
        });
      }
      assert.ok(err instanceof TelegramError, String(err));
      assert.equal(err.code, 429);
      assert.ok(err.parameters.retry_after >= 1);
      assert.equal(err.description, `Too Many Requests: retry after ${err.parameters.retry_after}`);
    } finally {
      await sb.setLimits({ disabled: true });
    }
  });

  test('migrated group answers migrate_to_chat_id', async () => {
    // The default scenario's basic group (-1000000003) was upgraded to the
    // supergroup.
    await assert.rejects(tg.sendMessage(-1000000003, 'test'), (err) => {
      assert.ok(err instanceof TelegramError, String(err));
      assert.equal(err.code, 400);
      assert.equal(err.description, 'Bad Request: group chat was upgraded to a supergroup chat');
      assert.equal(err.parameters.migrate_to_chat_id, sb.creds.group_id);
      return true;
    });
  });
});
