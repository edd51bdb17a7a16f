package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** Writing ISO BMFF boxes (ISO/IEC 14496-12 4.2): a box's size is set once its body is written. */
final class Mp4Boxes {
    private Mp4Boxes() {
    }

    static void writeType(ByteBuf out, String type) {
        out.writeCharSequence(type, StandardCharsets.US_ASCII);
    }

    static int begin(ByteBuf out, String type) {
        int at = out.writerIndex();
        out.writeInt(0);
        writeType(out, type);
        return at;
    }

    static int beginFull(ByteBuf out, String type, int version, int flags) {
        int at = begin(out, type);
        out.writeInt(version << 24 | flags);
        return at;
    }

    static void end(ByteBuf out, int at) {
        out.setInt(at, out.writerIndex() - at);
    }
}
