// Plays a recorded file in headless Chromium with a plain <video src>, as a browser plays an MP4
// served with HTTP range requests, then seeks to the middle and checks playback goes on there.
//
//   node seek.mjs <mp4-url> <timeout-seconds>
//
// Serves a page from 127.0.0.1 (the file is fetched cross-origin, as a site embedding recordings
// would), launches Debian's Chromium through playwright-core and watches the video element: it
// must reach 1 s of playback, then after `currentTime = duration / 2` fire `seeked` and play on
// from there with frames decoded. Prints one JSON line: {"ok", "duration", "videoWidth",
// "videoHeight", "seekedTo", "currentTime", "framesBefore", "framesAfter", "errors"}.
// Exit 0 when every step happened, 1 otherwise. Everything it starts it stops.
import http from 'node:http';
import { launchChromium } from './chromium.mjs';

const [url, timeoutArg] = process.argv.slice(2);
const timeoutMs = Number(timeoutArg ?? 30) * 1000;
const page = `<!doctype html><meta charset="utf-8"><video id="v" muted autoplay playsinline src=${JSON.stringify(url)}></video>
<script>
  window.errors = [];
  window.seeked = false;
  const v = document.getElementById('v');
  v.addEventListener('error', () => window.errors.push('video error ' + (v.error && v.error.code) + ' ' + (v.error && v.error.message)));
  v.addEventListener('seeked', () => { window.seeked = true; });
  v.play().catch(e => window.errors.push('play(): ' + e));
</script>`;

const server = http.createServer((req, res) => {
  res.writeHead(200, { 'content-type': 'text/html' });
  res.end(page);
});
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve));
const pageUrl = `http://127.0.0.1:${server.address().port}/`;

const state = tab => tab.evaluate(() => {
  const v = document.getElementById('v');
  const q = v.getVideoPlaybackQuality();
  return { duration: v.duration, currentTime: v.currentTime, videoWidth: v.videoWidth, videoHeight: v.videoHeight,
           frames: q.totalVideoFrames, seeked: window.seeked, errors: window.errors };
});

let browser;
let result = { ok: false, duration: 0, videoWidth: 0, videoHeight: 0, seekedTo: -1, currentTime: 0,
               framesBefore: 0, framesAfter: 0, errors: [] };
try {
  browser = await launchChromium();
  const tab = await browser.newPage();
  tab.on('console', m => { if (m.type() === 'error') result.errors.push('console: ' + m.text()); });
  await tab.goto(pageUrl);
  const deadline = Date.now() + timeoutMs;
  let s = await state(tab);
  while (Date.now() < deadline && !(s.currentTime >= 1 && s.duration > 0)) {
    await new Promise(r => setTimeout(r, 100));
    s = await state(tab);
  }
  result = { ...result, duration: s.duration, videoWidth: s.videoWidth, videoHeight: s.videoHeight,
             framesBefore: s.frames, errors: [...result.errors, ...s.errors] };
  if (s.currentTime >= 1 && s.duration > 0) {
    const target = s.duration / 2;
    result.seekedTo = target;
    await tab.evaluate(t => { document.getElementById('v').currentTime = t; }, target);
    while (Date.now() < deadline) {
      s = await state(tab);
      if (s.seeked && s.currentTime >= target + 0.5 && s.frames > result.framesBefore) {
        break;
      }
      await new Promise(r => setTimeout(r, 100));
    }
    result = { ...result, currentTime: s.currentTime, framesAfter: s.frames, errors: [...result.errors, ...s.errors] };
    result.ok = s.seeked && s.currentTime >= target + 0.5 && s.frames > result.framesBefore && s.errors.length === 0;
  }
} catch (e) {
  result.errors.push('runner: ' + e.message);
} finally {
  if (browser) await browser.close().catch(() => {});
  server.close();
}
console.log(JSON.stringify(result));
process.exit(result.ok ? 0 : 1);
