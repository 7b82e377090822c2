// grammY 1.x, unchanged, against the emulator: the only setting is
// client.apiRoot (grammY refuses one ending in '/'). grammY sends JSON, and
// for uploads multipart where even a top-level file is `attach://<random>`.

import assert from 'node:assert/strict';
import http from 'node:http';
import { once } from 'node:events';
import { after, before, describe, test } from 'node:test';

import { Bot, GrammyError, InputFile, InputMediaBuilder, webhookCallback } from 'grammy';

import { eventually, lastCall, png, startSandbox } from '../lib/sandbox.js';

describe('grammY', { timeout: 90_000 }, () => {
  let sb;
  let bot;
  let chan;
  before(async () => {
    sb = await startSandbox();
    await sb.setLimits({ disabled: true });
    bot = new Bot(sb.creds.bot_token, { client: { apiRoot: sb.apiRoot } });
    chan = sb.creds.channel_id;
  });
  after(async () => {
    const res = await sb?.stop();
    assert.equal(res?.code, 0, 'gosmock exits cleanly on SIGTERM');
  });

  test('refuses an API root with a trailing slash (its own check)', () => {
    assert.throws(() => new Bot(sb.creds.bot_token, { client: { apiRoot: sb.apiRoot + '/' } }), /trailing/);
  });

  test('getMe', async () => {
    const me = await bot.api.getMe();
    assert.equal(me.id, sb.creds.bot_id);
    assert.equal(me.is_bot, true);
    assert.equal(me.username, sb.creds.bot_username);
    await bot.init(); // what bot.start() does first
    assert.equal(bot.botInfo.id, sb.creds.bot_id);
  });

  let textMsg;
  test('sendMessage to the channel by id and by @username', async () => {
    textMsg = await bot.api.sendMessage(chan, '<b>Новость</b>: приём заявлений открыт', { parse_mode: 'HTML' });
    assert.equal(textMsg.chat.id, chan);
    assert.equal(textMsg.chat.type, 'channel');
    assert.equal(textMsg.sender_chat.id, chan);
    assert.equal(textMsg.text, 'Новость: приём заявлений открыт');
    assert.deepEqual(textMsg.entities, [{ type: 'bold', offset: 0, length: 7 }]);

    const e = await lastCall(sb, 'sendmessage');
    assert.equal(e.status, 200);
    assert.equal(e.params.chat_id, String(chan));
    assert.equal(e.params.parse_mode, 'HTML');

    const byName = await bot.api.sendMessage(sb.creds.channel_username, 'Второе сообщение');
    assert.equal(byName.chat.id, chan);
    assert.equal(byName.message_id, textMsg.message_id + 1);

    const kept = await sb.messages(chan);
    assert.deepEqual(
      kept.slice(-2).map((m) => [m.message_id, m.text]),
      [
        [textMsg.message_id, textMsg.text],
        [byName.message_id, 'Второе сообщение'],
      ],
    );
  });

  let photoId;
  test('sendPhoto with a Buffer upload, then by file_id', async () => {
    const data = png(64, 48);
    const msg = await bot.api.sendPhoto(chan, new InputFile(data, 'logo.png'), { caption: 'Логотип' });
    const p = msg.photo.at(-1);
    assert.equal(msg.caption, 'Логотип');
    assert.equal(p.width, 64);
    assert.equal(p.height, 48);
    assert.equal(p.file_size, data.length);
    photoId = p.file_id;
    // grammY sent photo=attach://<random> plus a part of that name.
    const e = await lastCall(sb, 'sendphoto');
    assert.match(e.params.photo, /^attach:\/\/\w+$/);
    const part = e.params.photo.slice('attach://'.length);
    assert.equal(e.params[part], `logo.png (${data.length} bytes)`);

    // The uploaded bytes come back through getFile and the file URL.
    const f = await bot.api.getFile(photoId);
    const res = await fetch(`${sb.apiRoot}/file/bot${sb.creds.bot_token}/${f.file_path}`);
    assert.equal(res.status, 200);
    assert.deepEqual(Buffer.from(await res.arrayBuffer()), data);

    const again = await bot.api.sendPhoto(chan, photoId);
    assert.equal(again.photo.at(-1).file_id, photoId);
    assert.equal((await lastCall(sb, 'sendphoto')).params.photo, photoId);
  });

  test('sendMediaGroup with uploads', async () => {
    const msgs = await bot.api.sendMediaGroup(chan, [
      InputMediaBuilder.photo(new InputFile(png(32, 32), 'a.png'), { caption: 'Фотоотчёт' }),
      InputMediaBuilder.photo(new InputFile(png(40, 30), 'b.png')),
    ]);
    assert.equal(msgs.length, 2);
    assert.ok(msgs[0].media_group_id);
    assert.equal(msgs[0].media_group_id, msgs[1].media_group_id);
    assert.equal(msgs[1].message_id, msgs[0].message_id + 1);
    assert.equal(msgs[0].caption, 'Фотоотчёт');
    assert.deepEqual([msgs[1].photo.at(-1).width, msgs[1].photo.at(-1).height], [40, 30]);
  });

  test('sendPoll', async () => {
    const msg = await bot.api.sendPoll(chan, 'Удобен ли новый сервис?', [
      { text: 'Да' },
      { text: 'Нет' },
      'Не пользовался',
    ]);
    assert.ok(msg.poll.id);
    assert.equal(msg.poll.question, 'Удобен ли новый сервис?');
    assert.deepEqual(
      msg.poll.options.map((o) => o.text),
      ['Да', 'Нет', 'Не пользовался'],
    );
    assert.equal(msg.poll.is_anonymous, true);
    assert.equal(msg.poll.type, 'regular');
  });

  test('editMessageText', async () => {
    const msg = await bot.api.editMessageText(chan, textMsg.message_id, 'Новость (исправлено)');
    assert.equal(msg.message_id, textMsg.message_id);
    assert.equal(msg.text, 'Новость (исправлено)');
    assert.ok(msg.edit_date > 0);
    const kept = (await sb.messages(chan)).find((m) => m.message_id === textMsg.message_id);
    assert.equal(kept.text, 'Новость (исправлено)');
  });

  test('getUpdates: a message posted by a user, with offset confirmation', async () => {
    const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, 'Здравствуйте! Когда откроется запись?');
    const updates = await bot.api.getUpdates({ timeout: 5 });
    const u = updates.find((x) => x.message?.message_id === posted.message_id);
    assert.ok(u, `update for message ${posted.message_id} in ${JSON.stringify(updates)}`);
    assert.equal(u.message.text, posted.text);
    assert.equal(u.message.chat.id, sb.creds.group_id);
    assert.equal(u.message.chat.type, 'supergroup');
    assert.equal(u.message.from.id, sb.ownerUserId);
    // Not confirmed yet: delivered again.
    assert.equal((await bot.api.getUpdates({ timeout: 0 })).at(-1).update_id, u.update_id);
    // offset = update_id + 1 confirms it.
    assert.deepEqual(await bot.api.getUpdates({ offset: u.update_id + 1, timeout: 0 }), []);
  });

  test('long polling with bot.start() and bot.stop()', async () => {
    const bot2 = new Bot(sb.creds.bot_token, { client: { apiRoot: sb.apiRoot } });
    const seen = [];
    bot2.on('message:text', (ctx) => {
      seen.push(ctx.message);
    });
    let started;
    const running = new Promise((resolve) => {
      started = resolve;
    });
    const done = bot2.start({ timeout: 5, onStart: started });
    await running;
    await new Promise((r) => setTimeout(r, 200)); // let the first long poll wait
    const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, '/start');
    await eventually(() => seen.length > 0);
    assert.equal(seen[0].message_id, posted.message_id);
    assert.equal(seen[0].text, '/start');
    assert.deepEqual(seen[0].entities, [{ type: 'bot_command', offset: 0, length: 6 }]);
    await bot2.stop(); // confirms the last update with a final getUpdates
    await done;
    assert.deepEqual(await bot.api.getUpdates({ timeout: 0 }), []);
    assert.ok((await lastCall(sb, 'deletewebhook')).status === 200, 'bot.start() calls deleteWebhook');
  });

  test('webhook with a secret token, answered with a webhook reply', async () => {
    const secret = 'interop-Secret_42';
    // canUseWebhookReply lets ctx.reply() answer inside the webhook response
    // ({"method":"sendMessage",...}), which Telegram executes.
    const hookBot = new Bot(sb.creds.bot_token, {
      client: { apiRoot: sb.apiRoot, canUseWebhookReply: (method) => method === 'sendMessage' },
    });
    const seen = [];
    hookBot.on('message:text', async (ctx) => {
      seen.push(ctx.message);
      await ctx.reply('Спасибо, обращение получено');
    });
    const server = http.createServer(webhookCallback(hookBot, 'http', { secretToken: secret }));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const url = `http://127.0.0.1:${server.address().port}/hook`;
      assert.equal(await hookBot.api.setWebhook(url, { secret_token: secret }), true);
      assert.equal((await hookBot.api.getWebhookInfo()).url, url);
      // While a webhook is set, getUpdates is a 409.
      await assert.rejects(bot.api.getUpdates({ timeout: 0 }), (err) => err instanceof GrammyError && err.error_code === 409);

      const posted = await sb.postAsUser(sb.creds.group_id, sb.ownerUserId, 'Прошу разъяснить порядок записи');
      // grammY answers 401 without the right secret header, so a handled
      // update proves the emulator sent it.
      await eventually(() => seen.length > 0);
      assert.equal(seen[0].message_id, posted.message_id);
      assert.equal(seen[0].text, posted.text);
      const reply = await eventually(async () =>
        (await sb.messages(sb.creds.group_id)).find((m) => m.text === 'Спасибо, обращение получено'),
      );
      assert.equal(reply.from.id, sb.creds.bot_id);
      assert.equal((await hookBot.api.getWebhookInfo()).pending_update_count, 0);
    } finally {
      await bot.api.deleteWebhook();
      server.close();
    }
  });

  test('chat not found is a GrammyError 400 with the exact description', async () => {
    for (const chat of [-1009999999999, '@no_such_channel_42']) {
      await assert.rejects(bot.api.sendMessage(chat, 'test'), (err) => {
        assert.ok(err instanceof GrammyError, String(err));
        assert.equal(err.error_code, 400);
        assert.equal(err.description, 'Bad Request: chat not found');
        assert.equal(err.method, 'sendMessage');
        return true;
      });
    }
  });

  test('429 from a fault rule fills parameters.retry_after', async () => {
    await sb.addFault({ party: 'telegram', method: 'sendMessage', kind: 'rate_limit', retry_after: 17, first: 1 });
    try {
      await assert.rejects(bot.api.sendMessage(chan, 'test'), (err) => {
        assert.ok(err instanceof GrammyError, String(err));
        assert.equal(err.error_code, 429);
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
        await bot.api.sendMessage(sb.creds.group_id, `Сообщение ${i}`).catch((e) => {
          err = e;
        });
      }
      assert.ok(err instanceof GrammyError, String(err));
      assert.equal(err.error_code, 429);
      assert.ok(err.parameters.retry_after >= 1);
      assert.equal(err.description, `Too Many Requests: retry after ${err.parameters.retry_after}`);
    } finally {
      await sb.setLimits({ disabled: true });
    }
  });

  test('test environment (client.environment = "test")', async () => {
    if (!sb.creds.test_bot_token) return;
    const tbot = new Bot(sb.creds.test_bot_token, { client: { apiRoot: sb.apiRoot, environment: 'test' } });
    const me = await tbot.api.getMe();
    assert.notEqual(me.id, sb.creds.bot_id);
    assert.equal(me.is_bot, true);
    await assert.rejects(tbot.api.sendMessage(chan, 'test'), (err) => err instanceof GrammyError && err.error_code === 400);
  });
});
