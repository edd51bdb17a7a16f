package io.streamkit.stream;

import io.streamkit.codec.MediaFormatException;

/** Dispatches a configuration record to its codec's parser. */
final class CodecConfigs {
    private CodecConfigs() {
    }

    static TrackFormat parse(Codec codec, byte[] config) {
        if (config.length == 0) {
            if (codec.requiresConfig()) {
                throw new MediaFormatException(codec + " configuration record is empty");
            }
            return TrackFormat.of(codec);
        }
        // Filled in by the codec parsers.
        return codec.type() == MediaType.VIDEO ? TrackFormat.video(codec, config, null) : TrackFormat.audio(codec, config, null);
    }
}
