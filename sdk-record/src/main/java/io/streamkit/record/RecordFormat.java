package io.streamkit.record;

/** The file formats a recording can be written in. */
public enum RecordFormat {
    /**
     * MP4: written as fragmented MP4 while recording (a crash loses at most the fragment being
     * written), finalised at a clean end into a progressive MP4 with its {@code moov} before its
     * {@code mdat}, which plays and seeks at once in any browser.
     */
    MP4("mp4"),
    /** FLV: a header, {@code onMetaData}, the sequence headers and a tag per frame; playable as it grows. */
    FLV("flv"),
    /**
     * HLS: MPEG-TS segments beside a playlist that is an {@code EVENT} playlist while recording
     * and a {@code VOD} playlist ending in {@code EXT-X-ENDLIST} once finished.
     */
    HLS("m3u8");

    private final String extension;

    RecordFormat(String extension) {
        this.extension = extension;
    }

    /**
     * Returns the extension of the format's file (the playlist's, for HLS), without the dot.
     *
     * @return {@code "mp4"}, {@code "flv"} or {@code "m3u8"}
     */
    public String extension() {
        return extension;
    }
}
