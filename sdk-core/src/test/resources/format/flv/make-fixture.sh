#!/usr/bin/env bash
# Regenerates h264-aac-160x120-2s.flv beside this script: 2 s of testsrc at 160x120,
# 25 fps, H.264 (libx264, GOP 25, no scene-cut keyframes) with 44.1 kHz AAC, in the
# legacy FLV form (video CodecID 7, audio SoundFormat 10). About 40 KB.
#
# FlvFileTest hard-codes what ffprobe says about the file; after regenerating, run
#   ffprobe -v error -count_packets -show_entries stream=codec_type,nb_read_packets -of csv=p=0 h264-aac-160x120-2s.flv
# and update the counts there.
#
# Needs: ffmpeg with libx264 and the native aac encoder.
# Usage: bash make-fixture.sh   (writes into the directory of this script)
set -euo pipefail

out="$(cd "$(dirname "$0")" && pwd)/h264-aac-160x120-2s.flv"
ffmpeg -hide_banner -loglevel error -y \
  -f lavfi -i testsrc=size=160x120:rate=25 \
  -f lavfi -i sine=frequency=440:sample_rate=44100 \
  -t 2 -c:v libx264 -preset ultrafast -g 25 -keyint_min 25 -sc_threshold 0 -pix_fmt yuv420p -b:v 100k \
  -c:a aac -b:a 32k -fflags +bitexact -flags:v +bitexact -flags:a +bitexact \
  "$out"
echo "$(basename "$out") $(stat -c %s "$out") bytes"
ffprobe -v error -count_packets -show_entries stream=codec_type,nb_read_packets -of csv=p=0 "$out"
