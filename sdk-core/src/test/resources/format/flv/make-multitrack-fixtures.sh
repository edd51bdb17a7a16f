#!/usr/bin/env bash
# Regenerates the Enhanced RTMP v2 multitrack FLV files beside this script, as FFmpeg 8.1
# writes them (the FLV muxer of FFmpeg 8 is the first to write multitrack):
#
#   h264x2-aacx2-multitrack-2s.flv  video track 0: H.264 160x120 (legacy CodecID 7),
#                                   video track 1: H.264 128x96 (multitrack OneTrack 'avc1'),
#                                   audio track 0: AAC 44.1 kHz mono (legacy SoundFormat 10),
#                                   audio track 1: AAC 48 kHz mono (multitrack OneTrack 'mp4a').
#                                   H.264 with 2 B-frames, so CodedFrames carry composition times.
#   h264-opusx2-multitrack-2s.flv   video track 0: H.264 160x120 (legacy CodecID 7),
#                                   audio track 0: Opus 48 kHz stereo (enhanced 'Opus', no wrapper),
#                                   audio track 1: Opus 48 kHz mono (multitrack OneTrack 'Opus').
#
# 2 s each, 25 fps, GOP 25; a few tens of KB each.
#
# Step 1 encodes the streams into an MP4 file (which keeps decode times, so B-frames
# remux cleanly) with the ffmpeg command line (5.1 is
# enough: libx264, aac, libopus). Step 2 remuxes that file into FLV, without re-encoding,
# with the FFmpeg 8.1 libraries of the npm package node-av (remux-to-flv.mjs), because the
# ffmpeg on this machine (5.1) cannot write multitrack FLV.
#
# MultitrackFlvFileTest hard-codes the packets per stream that step 2 prints; after
# regenerating, update the counts there.
#
# Needs: ffmpeg with libx264, aac and libopus; node 18+ and npm (the npm registry only).
# Usage: bash make-multitrack-fixtures.sh   (writes into the directory of this script;
#        installs node-av into $NODE_AV_DIR, default /tmp/node-av, when it is not there)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
node_av="${NODE_AV_DIR:-/tmp/node-av}"
if [ ! -d "$node_av/node_modules/node-av" ]; then
  mkdir -p "$node_av"
  (cd "$node_av" && npm install --no-save --ignore-scripts node-av@6 >/dev/null)
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

video=(-c:v libx264 -preset ultrafast -bf 2 -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p -b:v 60k)
bitexact=(-fflags +bitexact -flags:v +bitexact -flags:a +bitexact)

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc=size=160x120:rate=25 \
  -f lavfi -i testsrc2=size=128x96:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -f lavfi -i sine=frequency=880:sample_rate=48000 \
  -map 0 -map 1 -map 2 -map 3 -t 2 "${video[@]}" -c:a aac -b:a 32k "${bitexact[@]}" \
  "$work/h264x2-aacx2.mp4"
node "$here/remux-to-flv.mjs" "$node_av" "$work/h264x2-aacx2.mp4" "$here/h264x2-aacx2-multitrack-2s.flv"

ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc=size=160x120:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=48000 \
  -f lavfi -i sine=frequency=660:sample_rate=48000 \
  -map 0 -map 1 -map 2 -t 2 "${video[@]}" -c:a libopus -b:a 24k \
  -ac:a:0 2 -ac:a:1 1 "${bitexact[@]}" \
  "$work/h264-opusx2.mp4"
node "$here/remux-to-flv.mjs" "$node_av" "$work/h264-opusx2.mp4" "$here/h264-opusx2-multitrack-2s.flv"

for f in h264x2-aacx2-multitrack-2s.flv h264-opusx2-multitrack-2s.flv; do
  echo "$f $(stat -c %s "$here/$f") bytes"
done
