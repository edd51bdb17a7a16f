// Probes a media file or URL with the FFmpeg 8.1 libraries of the npm package node-av and decodes
// what it reads, for the interop tests of codecs and forms Debian's FFmpeg 5.1 cannot read
// (Enhanced RTMP Opus, multitrack FLV).
//
//   node probe-av.mjs NODE_AV_DIR INPUT SECONDS
//
// Reads INPUT (a file, rtmp:// or http:// URL) for SECONDS of media (or to its end), decodes every
// packet, and prints one JSON line: {"streams": [{index, type, codec, width, height, sampleRate,
// channels, packets, frames, decodeErrors, firstDtsMs, lastDtsMs}]}. Exits 0 when it read
// anything, 1 when it could not open INPUT.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , nodeAvDir, input, secondsArg] = process.argv;
if (!input) {
    console.error('usage: node probe-av.mjs NODE_AV_DIR INPUT SECONDS');
    process.exit(2);
}
const seconds = Number(secondsArg ?? 3);
const { FormatContext, Packet } = await import(pathToFileURL(join(nodeAvDir, 'node_modules/node-av/dist/index.js')).href);
const { Decoder } = await import(pathToFileURL(join(nodeAvDir, 'node_modules/node-av/dist/api/index.js')).href);

const demuxer = new FormatContext();
if (await demuxer.openInput(input) < 0 || await demuxer.findStreamInfo() < 0) {
    console.log(JSON.stringify({ error: 'cannot open ' + input }));
    process.exit(1);
}
const streams = [];
const decoders = [];
for (const st of demuxer.streams) {
    const p = st.codecpar;
    const type = p.codecType === 0 ? 'video' : p.codecType === 1 ? 'audio' : 'other';
    streams.push({ index: st.index, type, codec: String(p.codecId), width: p.width, height: p.height,
        sampleRate: p.sampleRate, channels: p.channelLayout?.nbChannels ?? p.channels,
        packets: 0, frames: 0, decodeErrors: 0, firstDtsMs: null, lastDtsMs: null });
    let decoder = null;
    try {
        decoder = await Decoder.create(st);
        streams[streams.length - 1].codec = decoder.codec?.name ?? streams[streams.length - 1].codec;
    } catch (e) {
        streams[streams.length - 1].decodeErrors++;
    }
    decoders.push(decoder);
}
const packet = new Packet();
packet.alloc();
while ((await demuxer.readFrame(packet)) >= 0) {
    const s = streams[packet.streamIndex];
    const tb = demuxer.streams[packet.streamIndex].timeBase;
    const dtsMs = packet.dts == null ? null : Number(packet.dts) * 1000 * tb.num / tb.den;
    s.packets++;
    if (s.firstDtsMs === null) {
        s.firstDtsMs = dtsMs;
    }
    s.lastDtsMs = dtsMs;
    const decoder = decoders[packet.streamIndex];
    if (decoder) {
        try {
            const frames = await decoder.decodeAll(packet);
            s.frames += frames.length;
            frames.forEach(f => f.free());
        } catch (e) {
            s.decodeErrors++;
        }
    }
    packet.unref();
    if (dtsMs !== null && s.firstDtsMs !== null && dtsMs - s.firstDtsMs >= seconds * 1000) {
        break;
    }
}
decoders.forEach(d => d?.close());
packet.free();
await demuxer.closeInput();
console.log(JSON.stringify({ streams }));
process.exit(0);
