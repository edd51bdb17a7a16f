// Plays several live HTTP-FLV streams at once in headless Chromium through mpegts.js and reports,
// for each, which tracks mpegts.js found and how far playback got.
//
//   node tracks.mjs <seconds-to-reach> <timeout-seconds> <http-flv-url>...
//
// One browser, one tab per URL (playwright gives Chromium a fresh temporary profile). The tracks
// are mpegts.js's own MEDIA_INFO (hasAudio/hasVideo, which it takes from the FLV header and the
// tags it demuxed), so a header that announces a track the stream never carries shows here.
// Prints one JSON line: an array of {"url", "ok", "currentTime", "mediaInfo": {"hasAudio",
// "hasVideo", "audioCodec", "videoCodec"}, "errors"}. Exit 0 when every tab reached the goal,
// 1 otherwise. Everything it starts it stops.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from './chromium.mjs';

const [goalArg, timeoutArg, ...urls] = process.argv.slice(2);
const goal = Number(goalArg ?? 2);
const timeoutMs = Number(timeoutArg ?? 30) * 1000;
if (urls.length === 0) {
  console.error('usage: node tracks.mjs <seconds-to-reach> <timeout-seconds> <http-flv-url>...');
  process.exit(2);
}
const here = path.dirname(fileURLToPath(import.meta.url));
const library = path.join(here, 'node_modules/mpegts.js/dist/mpegts.js');

const page = url => `<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline></video>
<script src="/lib.js"></script>
<script>
  window.errors = [];
  window.mediaInfo = null;
  const v = document.getElementById('v');
  const player = mpegts.createPlayer({ type: 'flv', isLive: true, url: ${JSON.stringify(url)} },
                                     { enableWorker: false, lazyLoad: false });
  player.on(mpegts.Events.ERROR, (type, detail, info) => window.errors.push(type + ' ' + detail + ' ' + JSON.stringify(info)));
  player.on(mpegts.Events.MEDIA_INFO, info => {
    window.mediaInfo = { hasAudio: !!info.hasAudio, hasVideo: !!info.hasVideo,
                         audioCodec: info.audioCodec ?? null, videoCodec: info.videoCodec ?? null };
  });
  player.attachMediaElement(v);
  player.load();
  v.play().catch(e => window.errors.push('play(): ' + e));
</script>`;

const server = http.createServer((req, res) => {
  if (req.url === '/lib.js') {
    res.writeHead(200, { 'content-type': 'text/javascript' });
    fs.createReadStream(library).pipe(res);
    return;
  }
  const index = Number(new URL(req.url, 'http://x').searchParams.get('i'));
  if (!Number.isInteger(index) || index < 0 || index >= urls.length) {
    res.writeHead(404);
    res.end();
    return;
  }
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page(urls[index]));
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}/`;

let browser;
const results = urls.map(url => ({ url, ok: false, currentTime: 0, mediaInfo: null, errors: [] }));
try {
  browser = await launchChromium();
  const tabs = [];
  for (let i = 0; i < urls.length; i++) {
    const tab = await browser.newPage();
    tab.on('console', m => { if (m.type() === 'error') results[i].errors.push('console: ' + m.text()); });
    await tab.goto(`${base}?i=${i}`);
    tabs.push(tab);
  }
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline && results.some(r => !r.ok)) {
    for (let i = 0; i < tabs.length; i++) {
      const s = await tabs[i].evaluate(() => ({
        currentTime: document.getElementById('v').currentTime,
        mediaInfo: window.mediaInfo,
        errors: window.errors,
      }));
      const r = results[i];
      r.currentTime = s.currentTime;
      r.mediaInfo = s.mediaInfo;
      r.errors = [...r.errors.filter(e => e.startsWith('console')), ...s.errors];
      r.ok = s.currentTime >= goal && s.mediaInfo !== null;
    }
    await new Promise(r => setTimeout(r, 200));
  }
} catch (e) {
  results.forEach(r => r.errors.push('runner: ' + e.message));
} finally {
  if (browser) await browser.close().catch(() => {});
  server.close();
}
console.log(JSON.stringify(results));
process.exit(results.every(r => r.ok) ? 0 : 1);
