#!/usr/bin/env bash
# Regenerates the codec configuration fixtures beside this script.
#
# Each fixture is only the decoder configuration (a few dozen to a few hundred
# bytes), never a video: 1-2 frames of testsrc/sine are encoded by ffmpeg, and the
# stream's extradata, which ffprobe prints as a hex dump, is turned back into bytes
# with xxd -r. For the MP4 muxer that extradata is exactly the box payload:
#   H.264 -> avcC (ISO/IEC 14496-15 5.3.3.1), H.265 -> hvcC (8.3.3.1),
#   AV1 -> av1C (AV1-ISOBMFF 2.3), AAC -> AudioSpecificConfig from esds,
#   Opus (Ogg/Matroska) -> the RFC 7845 OpusHead packet.
# The file name says what the tests expect: codec-profile-WIDTHxHEIGHT-FPS.
#
# Needs: ffmpeg/ffprobe with libx264, libx265, libaom-av1, libsvtav1, aac, libopus; xxd.
# Usage: bash make-fixtures.sh   (writes into the directory of this script)
set -euo pipefail

out="$(cd "$(dirname "$0")" && pwd)"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
export SVT_LOG=1   # SVT-AV1: errors only

# extradata FILE -> raw bytes on stdout
extradata() {
  ffprobe -v error -show_data -show_streams "$1" \
    | awk '/^extradata=/{f=1; next} /^[a-z_]+=/{f=0} f' \
    | xxd -r
}

ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }

# video NAME SIZE RATE PIX_FMT EXT ENCODER-ARGS...
video() {
  local name=$1 size=$2 rate=$3 pix=$4 ext=$5; shift 5
  ff -f lavfi -i "testsrc=size=${size}:rate=${rate}" -frames:v 2 -pix_fmt "$pix" "$@" "$tmp/$name.mp4"
  extradata "$tmp/$name.mp4" > "$out/$name.$ext"
  echo "$name.$ext $(stat -c %s "$out/$name.$ext") bytes"
}

# audio NAME CONTAINER EXT INPUT-ARGS -- ENCODER-ARGS...
audio() {
  local name=$1 container=$2 ext=$3; shift 3
  ff "$@" -t 0.1 "$tmp/$name.$container"
  extradata "$tmp/$name.$container" > "$out/$name.$ext"
  echo "$name.$ext $(stat -c %s "$out/$name.$ext") bytes"
}

x264() { echo -c:v libx264 -preset medium; }
x265() { echo -c:v libx265 -preset ultrafast -x265-params log-level=error:info=0; }

# H.264 (libx264): profiles, frame cropping (642x362 is not a multiple of 16),
# monochrome (chroma_format_idc 0), 4:2:2, 4:4:4 with separate scaling, interlace.
video h264-baseline-320x240-25   320x240  25 yuv420p     avcC $(x264) -profile:v baseline
video h264-main-1280x720-30      1280x720 30 yuv420p     avcC $(x264) -profile:v main
video h264-high-642x362-25       642x362  25 yuv420p     avcC $(x264) -profile:v high
video h264-high10-320x240-30     320x240  30 yuv420p10le avcC $(x264) -profile:v high10
video h264-high422-322x242-25    322x242  25 yuv422p     avcC $(x264) -profile:v high422
video h264-high444-320x240-25    320x240  25 yuv444p     avcC $(x264) -profile:v high444 -x264-params cqm=jvt
video h264-gray-322x242-25       322x242  25 gray        avcC $(x264)
video h264-interlaced-720x576-25 720x576  25 yuv420p     avcC $(x264) -profile:v high -flags +ildct+ilme

# H.265 (libx265): Main, Main 10, conformance window, Range Extensions 4:4:4.
video hevc-main-320x240-25       320x240  25 yuv420p     hvcC $(x265) -profile:v main
video hevc-main10-1280x720-30    1280x720 30 yuv420p10le hvcC $(x265) -profile:v main10
video hevc-main-642x362-25       642x362  25 yuv420p     hvcC $(x265) -profile:v main
video hevc-main444-320x240-30    320x240  30 yuv444p     hvcC $(x265) -profile:v main444-8

# AV1: libaom with timing info in the sequence header, SVT-AV1 10-bit without it.
video av1-aom-320x240-25         320x240  25 yuv420p     av1C -c:v libaom-av1 -cpu-used 8 -aom-params timing-info=constant
video av1-svt10-642x362-30       642x362  30 yuv420p10le av1C -c:v libsvtav1 -preset 12

# AAC (ffmpeg's native encoder, which makes AAC LC only).
audio aac-lc-44100-2 m4a asc -f lavfi -i "sine=frequency=440:sample_rate=44100" -ac 2 -c:a aac
audio aac-lc-48000-1 m4a asc -f lavfi -i "sine=frequency=440:sample_rate=48000" -ac 1 -c:a aac
audio aac-lc-96000-6 m4a asc -f lavfi -i "sine=frequency=440:sample_rate=96000" -ac 6 -c:a aac

# Opus (libopus): stereo and mono (mapping family 0, Ogg and Matroska), 5.1 (family 1).
audio opus-stereo-48000 ogg opushead -f lavfi -i "sine=frequency=440:sample_rate=48000" -ac 2 -c:a libopus
audio opus-51-48000     ogg opushead -f lavfi -i "sine=frequency=440:sample_rate=48000" -ac 6 -c:a libopus
audio opus-mono-48000    mka opushead -f lavfi -i "sine=frequency=440:sample_rate=48000" -ac 1 -c:a libopus
