// Parses HLS media playlists (and the multivariant playlists named multivariant-*) with hls-parser
// in strict mode and reports what it refused.
//
//   node check-m3u8.mjs <playlist-file>...
//
// Strict mode makes hls-parser throw on anything RFC 8216 forbids instead of logging it. On
// top of parsing, each playlist must be a media playlist whose segments all have a URI and an
// EXTINF duration that rounds to at most EXT-X-TARGETDURATION (RFC 8216 section 4.3.3.1).
// Prints one JSON line: {"checked": n, "segments": n, "errors": ["file: message", ...]}.
// Exit 0 when there is no error, 1 otherwise.
import fs from 'node:fs';
import HLS from 'hls-parser';

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node check-m3u8.mjs <playlist-file>...');
  process.exit(2);
}
HLS.setOptions({ strictMode: true, silent: true });
const result = { checked: 0, segments: 0, errors: [] };
for (const file of files) {
  result.checked++;
  let playlist;
  try {
    playlist = HLS.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    result.errors.push(`${file}: ${e.message}`);
    continue;
  }
  if (playlist.isMasterPlaylist) {
    // Multivariant playlists (files named multivariant-*) open viewer sessions: each variant needs
    // a URI and a BANDWIDTH (RFC 8216 section 4.3.4.2).
    if (!file.split('/').pop().startsWith('multivariant-')) {
      result.errors.push(`${file}: a master playlist where a media playlist was expected`);
    } else if (playlist.variants.length === 0) {
      result.errors.push(`${file}: a multivariant playlist without a variant`);
    } else {
      for (const v of playlist.variants) {
        if (!v.uri || !(v.bandwidth > 0)) {
          result.errors.push(`${file}: variant ${v.uri} has no URI or BANDWIDTH`);
        }
      }
    }
    continue;
  }
  if (!Number.isInteger(playlist.targetDuration)) {
    result.errors.push(`${file}: no integer EXT-X-TARGETDURATION`);
  }
  for (const segment of playlist.segments) {
    result.segments++;
    if (!segment.uri) {
      result.errors.push(`${file}: segment ${segment.mediaSequenceNumber} has no URI`);
    }
    if (!(segment.duration > 0)) {
      result.errors.push(`${file}: segment ${segment.uri} has no positive EXTINF duration`);
    } else if (Math.round(segment.duration) > playlist.targetDuration) {
      result.errors.push(`${file}: segment ${segment.uri} lasts ${segment.duration} s, over the target ${playlist.targetDuration}`);
    }
  }
}
console.log(JSON.stringify(result));
process.exit(result.errors.length === 0 ? 0 : 1);
