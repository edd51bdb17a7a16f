// Plays a live stream in headless Chromium and reports how far playback got.
//
//   node play.mjs flv <http-flv-url> <seconds-to-reach> <timeout-seconds>
//   node play.mjs hls <m3u8-url> <seconds-to-reach> <timeout-seconds>
//
// Serves a page with mpegts.js (flv) or hls.js (hls) from 127.0.0.1 (so the stream is fetched cross-origin, as a
// real site would), launches Debian's Chromium through playwright-core, and polls the video
// element (playwright gives Chromium a fresh temporary profile). Prints one JSON line: {"ok", "currentTime", "videoWidth", "videoHeight", "errors"}.
// Exit 0 when currentTime reached the goal, 1 otherwise. Everything it starts it stops.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const [kind, url, goalArg, timeoutArg] = process.argv.slice(2);
const goal = Number(goalArg ?? 2);
const timeoutMs = Number(timeoutArg ?? 30) * 1000;
const here = path.dirname(fileURLToPath(import.meta.url));
const libraries = {
  flv: path.join(here, 'node_modules/mpegts.js/dist/mpegts.js'),
  hls: path.join(here, 'node_modules/hls.js/dist/hls.min.js'),
};
if (!libraries[kind]) {
  console.error(`unknown kind ${kind}; expected one of ${Object.keys(libraries)}`);
  process.exit(2);
}

const players = {
  flv: `const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: ${JSON.stringify(url)} },
                                       { enableWorker: false, lazyLoad: false });
    player.on(mpegts.Events.ERROR, (type, detail, info) => window.errors.push(type + ' ' + detail + ' ' + JSON.stringify(info)));
    player.attachMediaElement(v);
    player.load();`,
  hls: `const player = new Hls({ enableWorker: false });
    player.on(Hls.Events.ERROR, (event, data) => { if (data.fatal) window.errors.push('fatal ' + data.type + ' ' + data.details); });
    player.loadSource(${JSON.stringify(url)});
    player.attachMedia(v);`,
};
const page = `<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline></video>
<script src="/lib.js"></script>
<script>
  window.errors = [];
  const v = document.getElementById('v');
  ${players[kind]}
  v.play().catch(e => window.errors.push('play(): ' + e));
</script>`;

const server = http.createServer((req, res) => {
  if (req.url === '/lib.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    fs.createReadStream(libraries[kind]).pipe(res);
  } else {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end(page);
  }
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

let browser;
let result = { ok: false, currentTime: 0, videoWidth: 0, videoHeight: 0, errors: [] };
try {
  browser = await launchChromium();
  const tab = await browser.newPage();
  tab.on('console', m => { if (m.type() === 'error') result.errors.push('console: ' + m.text()); });
  await tab.goto(pageUrl);
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const s = await tab.evaluate(() => ({
      currentTime: document.getElementById('v').currentTime,
      videoWidth: document.getElementById('v').videoWidth,
      videoHeight: document.getElementById('v').videoHeight,
      errors: window.errors,
    }));
    result = { ...result, ...s, errors: [...result.errors.filter(e => e.startsWith('console')), ...s.errors] };
    if (s.currentTime >= goal) {
      result.ok = true;
      break;
    }
    await new Promise(r => setTimeout(r, 200));
  }
} catch (e) {
  result.errors.push('runner: ' + e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  server.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
