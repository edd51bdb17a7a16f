package io.streamkit.stream;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.aac.AudioSpecificConfig;
import io.streamkit.codec.av1.Av1CodecConfigurationRecord;
import io.streamkit.codec.h264.AvcDecoderConfigurationRecord;
import io.streamkit.codec.h265.HevcDecoderConfigurationRecord;
import io.streamkit.codec.opus.OpusHead;

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
        ByteBuf buf = Unpooled.wrappedBuffer(config);
        return switch (codec) {
            case H264 -> TrackFormat.video(codec, config, AvcDecoderConfigurationRecord.parse(buf).videoParameters());
            case H265 -> TrackFormat.video(codec, config, HevcDecoderConfigurationRecord.parse(buf).videoParameters());
            case AV1 -> TrackFormat.video(codec, config, Av1CodecConfigurationRecord.parse(buf).videoParameters());
            case VP9 -> TrackFormat.video(codec, config, null);   // kept as bytes; nothing downstream needs its fields yet
            case AAC -> TrackFormat.audio(codec, config, AudioSpecificConfig.parse(buf).audioParameters());
            case OPUS -> TrackFormat.audio(codec, config, OpusHead.parse(buf).audioParameters());
            case MP3 -> TrackFormat.audio(codec, config, null);
            case PCMA, PCMU -> throw new MediaFormatException(codec + " has no configuration record; its format"
                    + " is its sample rate and channels");
        };
    }
}
