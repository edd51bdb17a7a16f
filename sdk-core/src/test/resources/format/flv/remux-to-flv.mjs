// Remuxes every stream of an input file into one FLV file with the FFmpeg 8.1 libraries of
// the npm package node-av (6.x), without re-encoding. FFmpeg 8's FLV muxer writes the first
// video and the first audio stream as track 0 in the plain single-track form and every
// further stream as an Enhanced RTMP v2 multitrack packet (AvMultitrackType OneTrack) with
// trackId 1, 2, ...; Opus always goes into the enhanced form with the FourCC 'Opus'.
//
// Usage: node remux-to-flv.mjs NODE_AV_DIR INPUT OUTPUT
//   NODE_AV_DIR: a directory where `npm install node-av --ignore-scripts` was run. The
//   postinstall step only downloads an ffmpeg command-line binary, which is not needed:
//   the libraries are in the platform package (@seydx/node-av-linux-x64) npm installs.
// Prints the number of packets written per stream.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [, , nodeAvDir, input, output] = process.argv;
if (!output) {
    console.error('usage: node remux-to-flv.mjs NODE_AV_DIR INPUT OUTPUT');
    process.exit(2);
}
const { FormatContext, Packet, FFmpegError, getFFmpegInfo, AVFMT_FLAG_BITEXACT } =
    await import(pathToFileURL(join(nodeAvDir, 'node_modules/node-av/dist/index.js')).href);

const ifmt = new FormatContext();
FFmpegError.throwIfError(await ifmt.openInput(input), 'openInput');
FFmpegError.throwIfError(await ifmt.findStreamInfo(), 'findStreamInfo');

const ofmt = new FormatContext();
FFmpegError.throwIfError(ofmt.allocOutputContext2(null, 'flv', output), 'allocOutputContext2');
ofmt.flags |= AVFMT_FLAG_BITEXACT; // no 'encoder' string in onMetaData
for (const ist of ifmt.streams) {
    const ost = ofmt.newStream(null);
    FFmpegError.throwIfError(ist.codecpar.copy(ost.codecpar), 'copy codec parameters');
    ost.codecpar.codecTag = 0; // let the FLV muxer choose its own tag
    ost.timeBase = ist.timeBase;
}
FFmpegError.throwIfError(await ofmt.openOutput(), 'openOutput');
FFmpegError.throwIfError(await ofmt.writeHeader(), 'writeHeader');

const counts = new Array(ifmt.streams.length).fill(0);
const pkt = new Packet();
pkt.alloc();
while ((await ifmt.readFrame(pkt)) >= 0) {
    const i = pkt.streamIndex;
    pkt.rescaleTs(ifmt.streams[i].timeBase, ofmt.streams[i].timeBase);
    pkt.pos = -1n;
    FFmpegError.throwIfError(await ofmt.interleavedWriteFrame(pkt), 'interleavedWriteFrame');
    counts[i]++;
}
FFmpegError.throwIfError(await ofmt.writeTrailer(), 'writeTrailer');
await ofmt.closeOutput();
pkt.free();
console.log(`libavformat ${getFFmpegInfo().libraries.avformat}: ${output}: packets per stream ${counts.join(',')}`);
