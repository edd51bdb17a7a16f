// Publishes every stream of a media file to an RTMP URL with the FFmpeg 8.1 libraries of the
// npm package node-av (6.x): stream copy, paced in real time like `ffmpeg -re`, through
// FFmpeg's FLV muxer and its native rtmp:// protocol. With the multitrack fixtures beside
// this script, the server receives what FFmpeg 8 publishes: track 0 in the plain form,
// further streams as Enhanced RTMP v2 OneTrack multitrack messages, Opus as 'Opus'.
//
// Limits (node-av 6.1.1): IOContext.open2() passes no options to avio_open2(), so protocol
// options such as rtmp_enhanced_codecs cannot be set: the connect command carries no
// fourCcList, and the publisher never asks the server for Enhanced RTMP support.
//
// Usage: node publish-rtmp.mjs NODE_AV_DIR INPUT rtmp://127.0.0.1:PORT/app/stream
// Exits 0 after the trailer is written, non-zero with FFmpeg's error otherwise.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , nodeAvDir, input, url] = process.argv;
if (!url) {
    console.error('usage: node publish-rtmp.mjs NODE_AV_DIR INPUT RTMP_URL');
    process.exit(2);
}
const { FormatContext, Packet, FFmpegError } =
    await import(pathToFileURL(join(nodeAvDir, 'node_modules/node-av/dist/index.js')).href);

const ifmt = new FormatContext();
FFmpegError.throwIfError(await ifmt.openInput(input), 'openInput');
FFmpegError.throwIfError(await ifmt.findStreamInfo(), 'findStreamInfo');

const ofmt = new FormatContext();
FFmpegError.throwIfError(ofmt.allocOutputContext2(null, 'flv', url), 'allocOutputContext2');
for (const ist of ifmt.streams) {
    const ost = ofmt.newStream(null);
    FFmpegError.throwIfError(ist.codecpar.copy(ost.codecpar), 'copy codec parameters');
    ost.codecpar.codecTag = 0;
    ost.timeBase = ist.timeBase;
}
// avio_open2() on an rtmp:// URL: handshake, connect, createStream, publish.
FFmpegError.throwIfError(await ofmt.openOutput(), 'openOutput');
FFmpegError.throwIfError(await ofmt.writeHeader(), 'writeHeader');

const pkt = new Packet();
pkt.alloc();
const start = Date.now();
let packets = 0;
while ((await ifmt.readFrame(pkt)) >= 0) {
    const i = pkt.streamIndex;
    const tb = ifmt.streams[i].timeBase;
    const dueMs = Number(pkt.dts ?? 0n) * 1000 * tb.num / tb.den;
    const wait = dueMs - (Date.now() - start);
    if (wait > 0) {
        await new Promise((resolve) => setTimeout(resolve, wait));
    }
    pkt.rescaleTs(tb, ofmt.streams[i].timeBase);
    pkt.pos = -1n;
    FFmpegError.throwIfError(await ofmt.interleavedWriteFrame(pkt), 'interleavedWriteFrame');
    packets++;
}
FFmpegError.throwIfError(await ofmt.writeTrailer(), 'writeTrailer');
await ofmt.closeOutput();
pkt.free();
console.log(`published ${packets} packets to ${url} in ${Date.now() - start} ms`);
