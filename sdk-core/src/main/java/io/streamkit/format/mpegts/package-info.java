/**
 * MPEG-2 transport stream (ISO/IEC 13818-1): the muxer that HLS segments are made with and
 * a demuxer for tests and for TS ingest (SRT, HLS pull).
 *
 * <p><b>Muxing.</b> {@link io.streamkit.format.mpegts.MpegTsMuxer} turns one stream's
 * frames into TS packets: PAT and PMT on demand (the segmenter writes them at the start of
 * every segment), one PES per access unit, continuity counters that run on across segments.
 * It is the only place on the HLS path where payload bytes are rewritten (length-prefixed NAL
 * units to Annex B, ADTS headers for AAC), once per stream and straight into the segment.
 *
 * <p><b>Decisions.</b>
 * <ul>
 * <li>Carried: H.264, H.265, AAC (ADTS) and MP3. AV1, VP9 and Opus are left out of the PMT
 *     and their frames skipped: HLS players do not read their TS mappings.</li>
 * <li>One video and one audio track per program, on fixed PIDs 0x100 and 0x101, PMT on
 *     0x1000, the layout ffmpeg and most packagers use, so segments of a republished
 *     stream keep their PIDs.</li>
 * <li>Every video access unit starts with an AUD; every keyframe carries the parameter sets
 *     of the track's configuration record unless it has its own, so each segment starts
 *     decodable whatever the publisher sent in band.</li>
 * <li>PCR on every PES of the video PID (audio PID without video), 700 ms behind its DTS
 *     (ffmpeg's default mux delay, as broadcast muxers keep) and never backwards, so an
 *     audio PES written after a video PES with a slightly earlier DTS is still on time for
 *     the T-STD. The muxer has no clock of its own and never shifts PTS/DTS: a segment's
 *     timestamps are the frames' timestamps.</li>
 * <li>The demuxer never throws on bad input; it skips and counts.</li>
 * </ul>
 *
 * <p><b>Buffers.</b> The muxer borrows frames and appends to the caller's buffer. The
 * demuxer takes ownership of what is fed and hands out frames the caller releases.
 * Nothing here is thread-safe: one thread per muxer or demuxer.
 *
 * @see <a href="https://www.itu.int/rec/T-REC-H.222.0">ITU-T H.222.0 | ISO/IEC 13818-1</a>
 */
package io.streamkit.format.mpegts;
