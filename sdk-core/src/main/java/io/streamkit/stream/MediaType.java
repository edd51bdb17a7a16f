package io.streamkit.stream;

/** The kind of elementary stream a {@link Track} carries. */
public enum MediaType {
    /** Pictures: H.264, H.265, AV1, VP9. */
    VIDEO,
    /** Sound: AAC, MP3, Opus, G.711. */
    AUDIO
}
