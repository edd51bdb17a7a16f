// Node-Media-Server 2.7 as a second, independent RTMP-in / HTTP-FLV-out origin for the relay
// client's tests (RelayInteropIT): `node nms.mjs RTMP_PORT HTTP_PORT`. It prints "ready" once both
// ports listen and runs until killed. Only loopback; no admin API auth matters here.
import { createRequire } from 'node:module';
import net from 'node:net';

const require = createRequire(import.meta.url);
const NodeMediaServer = require('node-media-server');
const [rtmpPort, httpPort] = process.argv.slice(2).map(Number);
if (!rtmpPort || !httpPort) {
  console.error('usage: node nms.mjs RTMP_PORT HTTP_PORT');
  process.exit(2);
}
const nms = new NodeMediaServer({
  logType: 1,   // errors only
  rtmp: { port: rtmpPort, chunk_size: 60000, gop_cache: true, ping: 30, ping_timeout: 60 },
  http: { port: httpPort, host: '127.0.0.1', allow_origin: '*' },
});
nms.run();

function listening(port) {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => { s.destroy(); resolve(true); });
    s.on('error', () => resolve(false));
  });
}
for (let i = 0; i < 100; i++) {
  if (await listening(rtmpPort) && await listening(httpPort)) {
    console.log('ready');
    break;
  }
  await new Promise((r) => setTimeout(r, 100));
}
