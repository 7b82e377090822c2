// Starts the standalone sandbox (cmd/gosmock) for a test file and wraps its
// control API. gosmock is built once per test process into a temporary
// directory (set GOSMOCK_BIN to use a prebuilt binary), started with its
// default scenario on loopback, and its single JSON stdout line gives the
// URLs and credentials. stop() sends SIGTERM. gosmock runs with
// -exit-on-stdin-eof on a stdin pipe this process holds, so it also stops
// when this process dies without cleaning up.

import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

function buildGosmock() {
  if (process.env.GOSMOCK_BIN) return { bin: process.env.GOSMOCK_BIN, cleanup() {} };
  const dir = mkdtempSync(path.join(tmpdir(), 'gosdk-gosmock-'));
  const bin = path.join(dir, 'gosmock');
  execFileSync('go', ['build', '-o', bin, './cmd/gosmock'], {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  return { bin, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

function firstLine(child, timeoutMs) {
  return new Promise((resolve, reject) => {
    let buf = '';
    const timer = setTimeout(() => done(new Error(`gosmock printed no line in ${timeoutMs} ms`)), timeoutMs);
    function done(err, line) {
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.off('exit', onExit);
      if (err) reject(err);
      else resolve(line);
    }
    function onData(chunk) {
      buf += chunk;
      const i = buf.indexOf('\n');
      if (i >= 0) done(null, buf.slice(0, i));
    }
    function onExit(code, signal) {
      done(new Error(`gosmock exited (code ${code}, signal ${signal}) before printing its JSON line`));
    }
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', onData);
    child.on('exit', onExit);
  });
}

// Children still running when this process ends are killed, so a failing
// or cancelled test file never leaves a sandbox behind.
const children = new Set();
process.on('exit', () => {
  for (const c of children) c.kill('SIGKILL');
});
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    for (const c of children) c.kill('SIGKILL');
    process.exit(128 + (sig === 'SIGINT' ? 2 : 15));
  });
}

export async function startSandbox() {
  const { bin, cleanup } = buildGosmock();
  const child = spawn(bin, ['-exit-on-stdin-eof'], { stdio: ['pipe', 'pipe', 'pipe'] });
  children.add(child);
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal });
    }),
  );
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (d) => {
    stderr = (stderr + d).slice(-16384);
  });
  async function stop() {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    const res = await exited;
    clearTimeout(timer);
    cleanup();
    return res;
  }
  try {
    return await connect(child, stop);
  } catch (err) {
    await stop();
    err.message += `\ngosmock stderr:\n${stderr}`;
    throw err;
  }
}

async function connect(child, stop) {
  const manifest = JSON.parse(await firstLine(child, 60_000));
  child.stdout.resume(); // nothing else is expected on stdout

  const control = manifest.control;
  async function call(method, p, body) {
    const res = await fetch(control + p, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const data = await res.json();
    if (!res.ok) throw new Error(`control ${method} ${p}: ${res.status} ${JSON.stringify(data)}`);
    return data;
  }

  const creds = manifest.credentials.telegram;
  // The owner of the group (and of the channel), as a Telegram user id,
  // from the exported world.
  const state = await call('GET', '/_mock/state');
  const group = state.pages.find((p) => p.network === 'telegram' && p.id === creds.group_id);
  const ownerOID = group?.admins?.find((a) => a.role === 'creator')?.person_oid;
  const owner = state.people.find((p) => p.oid === ownerOID);
  const ownerUserId = owner?.accounts?.telegram?.user_id;
  if (!ownerUserId) throw new Error(`no owner with a Telegram account in group ${creds.group_id}`);

  return {
    manifest,
    apiRoot: manifest.telegram, // no trailing slash: grammY refuses one
    control,
    creds,
    ownerUserId,
    /** A user writes text in a channel or group; returns the stored message. */
    postAsUser: (chatId, userId, text) => call('POST', '/_mock/telegram/post', { chat_id: chatId, user_id: userId, text }),
    /** The messages the emulator keeps in a chat, oldest first. */
    messages: (chatId) => call('GET', `/_mock/telegram/messages?chat_id=${chatId}`),
    /** Journal entries (party telegram), oldest first. */
    journal: (query = {}) => call('GET', '/_mock/journal?' + new URLSearchParams({ party: 'telegram', ...query })),
    setLimits: (limits) => call('POST', '/_mock/telegram/limits', limits),
    /** Any control call: method, path (from /_mock/...), JSON body. */
    control: call,
    /** The VK emulator's base URL and credentials (user, community and service tokens, the group id). */
    vkApiBaseUrl: manifest.vk + '/method',
    vkCreds: manifest.credentials.vk,
    addFault: (rule) => call('POST', '/_mock/faults', rule),
    clearFaults: () => call('DELETE', '/_mock/faults'),
    stop,
  };
}

/** The last journal entry of a method (lower-case name), or undefined. */
export async function lastCall(sb, method) {
  const entries = await sb.journal({ method, limit: '1' });
  return entries[entries.length - 1];
}

/** Polls fn until it returns a truthy value or the timeout passes. */
export async function eventually(fn, timeoutMs = 10_000, stepMs = 20) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, stepMs));
  }
}

// A valid PNG of w×h pixels (the emulator reads photo dimensions).
export function png(w, h) {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (buf) => {
    let c = 0xffffffff;
    for (const b of buf) c = crcTable[(c ^ b) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type, data) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const td = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const c = Buffer.alloc(4);
    c.writeUInt32BE(crc(td));
    return Buffer.concat([len, td, c]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(w, 0);
  ihdr.writeUInt32BE(h, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const raw = Buffer.alloc((w * 3 + 1) * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const o = y * (w * 3 + 1) + 1 + x * 3;
      raw[o] = (x * 255) / w;
      raw[o + 1] = (y * 255) / h;
      raw[o + 2] = 0x80;
    }
  }
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', zlib.deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}
