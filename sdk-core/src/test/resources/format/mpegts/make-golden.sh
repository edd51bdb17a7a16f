#!/usr/bin/env bash
# Regenerates h264-aac-160x120-2s.ts beside this script: the FLV fixture
# ../flv/h264-aac-160x120-2s.flv muxed by MpegTsMuxer as HLS does (PAT and PMT at the
# start and before each video keyframe). MpegTsGoldenTest writes it when run with
# -Dstreamkit.mpegts.regenerate=true; without the property it compares byte for byte.
#
# Regenerate only after an intended change of the muxer's output, then look at it:
#   ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,nb_read_frames,sample_rate h264-aac-160x120-2s.ts
#   ffmpeg -v error -i h264-aac-160x120-2s.ts -f null -     (must print nothing)
#
# Usage: bash make-golden.sh   (from anywhere; takes the repository's build lock)
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$here/../../../../../.." && pwd)"
cd "$repo"
flock /tmp/streamkit-build.lock ./mvnw -B -q -o -pl sdk-core test \
  -Dtest='io.streamkit.format.mpegts.MpegTsGoldenTest#muxedFixtureMatchesGoldenByteForByte' \
  -Dstreamkit.mpegts.regenerate=true -Dsurefire.failIfNoSpecifiedTests=false
ts="$here/h264-aac-160x120-2s.ts"
echo "$(basename "$ts") $(stat -c %s "$ts") bytes"
ffprobe -v error -count_frames -show_entries stream=codec_name,width,height,nb_read_frames,sample_rate \
  -of compact=p=0 "$ts"
