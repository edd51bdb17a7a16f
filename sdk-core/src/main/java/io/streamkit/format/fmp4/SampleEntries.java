package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.codec.opus.OpusHead;
import io.streamkit.stream.Codec;
import io.streamkit.stream.TrackFormat;

/** The sample entries {@link Fmp4Writer} writes, read back into track formats (ISO/IEC 14496-12 8.5.2, 14496-15, 14496-14). */
final class SampleEntries {
    private SampleEntries() {
    }

    /** The track format a sample entry describes. */
    static TrackFormat format(ByteBuf file, Mp4Box entry) {
        String type = entry.type(file);
        switch (type) {
            case "avc1", "hvc1", "av01" -> {
                Codec codec = type.equals("avc1") ? Codec.H264 : type.equals("hvc1") ? Codec.H265 : Codec.AV1;
                String config = type.equals("avc1") ? "avcC" : type.equals("hvc1") ? "hvcC" : "av1C";
                Mp4Box box = entry.child(file, 78, config);
                return TrackFormat.of(codec, file.slice(box.body(), box.end() - box.body()));
            }
            case "mp4a" -> {
                Mp4Box esds = entry.child(file, 28, "esds");
                return esdsFormat(file, esds.body() + 4, esds.end());
            }
            case "Opus" -> {
                Mp4Box dops = entry.child(file, 28, "dOps");
                dops.need(11);
                int channels = file.getUnsignedByte(dops.body() + 1);
                int family = file.getUnsignedByte(dops.body() + 10);
                int streams = 1;
                int coupled = channels == 2 ? 1 : 0;
                byte[] mapping = channels == 2 ? new byte[] {0, 1} : new byte[] {0};
                if (family != 0) {
                    dops.need(13 + channels);
                    streams = file.getUnsignedByte(dops.body() + 11);
                    coupled = file.getUnsignedByte(dops.body() + 12);
                    mapping = new byte[channels];
                    file.getBytes(dops.body() + 13, mapping);
                }
                ByteBuf head = Unpooled.buffer();
                try {
                    OpusHead.of(channels, file.getUnsignedShort(dops.body() + 2), file.getUnsignedInt(dops.body() + 4),
                            file.getShort(dops.body() + 8), family, streams, coupled, mapping).writeTo(head);
                    return TrackFormat.of(Codec.OPUS, head);
                } finally {
                    head.release();
                }
            }
            default -> throw new MediaFormatException("sample entry '" + type + "' is not one Fmp4Writer writes");
        }
    }

    /** AAC with its AudioSpecificConfig, or MP3, from an ES_Descriptor (14496-1 7.2.6.5). */
    private static TrackFormat esdsFormat(ByteBuf file, int at, int end) {
        int[] cursor = {at};
        if (descriptor(file, cursor, end, 0x03) < 0) {
            throw new MediaFormatException("esds without an ES_Descriptor");
        }
        cursor[0] += 3;                                      // ES_ID, flags (none set by the writer)
        if (descriptor(file, cursor, end, 0x04) < 13 || cursor[0] + 13 > end) {
            throw new MediaFormatException("esds without a DecoderConfigDescriptor");
        }
        int objectType = file.getUnsignedByte(cursor[0]);
        cursor[0] += 13;
        if (objectType == 0x6B) {
            return TrackFormat.of(Codec.MP3);
        }
        int length = descriptor(file, cursor, end, 0x05);
        if (objectType != 0x40 || length <= 0 || cursor[0] + length > end) {
            throw new MediaFormatException("esds of object type 0x" + Integer.toHexString(objectType)
                    + " without an AudioSpecificConfig");
        }
        return TrackFormat.of(Codec.AAC, file.slice(cursor[0], length));
    }

    /** Reads a descriptor's tag and size at the cursor, leaves the cursor at its payload; the size, or -1 for another tag. */
    private static int descriptor(ByteBuf file, int[] cursor, int end, int tag) {
        if (cursor[0] >= end || file.getUnsignedByte(cursor[0]) != tag) {
            return -1;
        }
        int at = cursor[0] + 1;
        int size = 0;
        for (int i = 0; i < 4; i++) {
            if (at >= end) {
                return -1;
            }
            int b = file.getUnsignedByte(at++);
            size = size << 7 | b & 0x7F;
            if ((b & 0x80) == 0) {
                break;
            }
        }
        cursor[0] = at;
        return size <= end - at ? size : -1;
    }
}
