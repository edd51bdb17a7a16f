package io.streamkit.server.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stream metadata ({@code onMetaData}) a player or a pushed copy gets: the publisher's, less
 * what describes a file rather than a live stream that one joins at some point. An encoder that
 * publishes a file or a timed capture writes its {@code duration} and size; a player that joins
 * later would take the stream for a file of that length and, as rtmpdump does, report it
 * incomplete when its own timeline (from its first frame) ends short of it, or seek in it.
 * Everything else (size, rates, codec ids, the encoder's name, the application's own keys)
 * passes unchanged.
 */
public final class LiveMetadata {
    /** The keys that describe a file: its length, its sizes, its keyframe index. */
    static final Set<String> FILE_KEYS = Set.of("duration", "filesize", "datasize", "videosize", "audiosize",
            "lasttimestamp", "lastkeyframetimestamp", "lastkeyframelocation", "keyframes", "canSeekToEnd");

    private LiveMetadata() {
    }

    /**
     * Returns the metadata to send: the publisher's without the file keys.
     *
     * @param metadata the stream's metadata, not changed
     * @return the same map when it has no file key, else a copy without them, in the same order
     */
    public static Map<String, Object> of(Map<String, Object> metadata) {
        boolean clean = true;
        for (String key : FILE_KEYS) {
            if (metadata.containsKey(key)) {
                clean = false;
                break;
            }
        }
        if (clean) {
            return metadata;
        }
        Map<String, Object> live = new LinkedHashMap<>(metadata);
        live.keySet().removeAll(FILE_KEYS);
        return live;
    }
}
