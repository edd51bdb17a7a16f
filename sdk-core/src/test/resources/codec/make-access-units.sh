#!/usr/bin/env bash
# Regenerates the access unit fixtures beside this script: a few frames of 64x64 testsrc
# as Annex B elementary streams with an access unit delimiter before every access unit,
# so a test can split them into access units without parsing slices. Each holds the
# picture kinds a random access check must tell apart:
#   h264-open-gop-64x64.h264  libx264 open GOP, keyint 4, 2 B-frames: an IDR first, then
#                             non-IDR I frames with SPS/PPS and a recovery point SEI (what
#                             encoders flag as keyframes), P and B frames.
#   hevc-open-gop-64x64.h265  libx265 open GOP, keyint 4: IDR_N_LP first, then CRA
#                             (an IRAP), TRAIL_R and TRAIL_N.
#   hevc-radl-64x64.h265      libx265 closed GOP with RADL pictures: IDR_N_LP, IDR_W_RADL,
#                             RADL_R, RADL_N, TRAIL_R.
# H264AccessUnitsTest and H265AccessUnitsTest list the NAL unit types of every access unit;
# after regenerating, print them with ffprobe -show_frames or a start code scan and update
# the tables there.
#
# Needs: ffmpeg with libx264 and libx265.
# Usage: bash make-access-units.sh   (writes into the directory of this script)
set -euo pipefail

out="$(cd "$(dirname "$0")" && pwd)"
ff() { ffmpeg -hide_banner -loglevel error -y -f lavfi -i testsrc=size=64x64:rate=25 -pix_fmt yuv420p "$@"; }

ff -frames:v 9 -c:v libx264 -preset ultrafast -crf 40 -bf 2 \
  -x264-params open-gop=1:keyint=4:min-keyint=4:scenecut=0:b-adapt=0:aud=1 \
  -bsf:v h264_mp4toannexb -f h264 "$out/h264-open-gop-64x64.h264"
ff -frames:v 9 -c:v libx265 -preset medium -crf 40 \
  -x265-params log-level=error:info=0:keyint=4:min-keyint=4:scenecut=0:bframes=2:b-adapt=0:open-gop=1:aud=1 \
  -f hevc "$out/hevc-open-gop-64x64.h265"
ff -frames:v 10 -c:v libx265 -preset medium -crf 40 \
  -x265-params log-level=error:info=0:keyint=4:min-keyint=4:scenecut=0:bframes=2:b-adapt=0:open-gop=0:radl=2:aud=1 \
  -f hevc "$out/hevc-radl-64x64.h265"
for f in h264-open-gop-64x64.h264 hevc-open-gop-64x64.h265 hevc-radl-64x64.h265; do
  echo "$f $(stat -c %s "$out/$f") bytes"
done
