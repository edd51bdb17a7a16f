package io.streamkit.format.fmp4;

import io.netty.buffer.ByteBuf;
import io.streamkit.codec.MediaFormatException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** A box in a file of ISO BMFF: where it starts, where its body starts and where it ends; every size checked against the bytes present. */
record Mp4Box(int start, int body, int end) {

    /** The box at {@code at}, or null when none fits before {@code limit}. */
    static Mp4Box at(ByteBuf file, int at, int limit) {
        if (at < 0 || limit - at < 8) {
            return null;
        }
        long size = file.getUnsignedInt(at);
        int header = 8;
        if (size == 1) {
            if (limit - at < 16) {
                return null;
            }
            size = file.getLong(at + 8);
            header = 16;
        } else if (size == 0) {
            size = limit - at;
        }
        if (size < header || size > limit - at) {
            return null;
        }
        return new Mp4Box(at, at + header, (int) (at + size));
    }

    boolean is(ByteBuf file, String type) {
        return type(file).equals(type);
    }

    String type(ByteBuf file) {
        return file.toString(start + 4, 4, StandardCharsets.ISO_8859_1);
    }

    int size() {
        return end - body;
    }

    void need(int bytes) {
        if (size() < bytes) {
            throw new MediaFormatException("a box of " + size() + " bytes where " + bytes + " are needed");
        }
    }

    List<Mp4Box> children(ByteBuf file, int skip) {
        List<Mp4Box> boxes = new ArrayList<>();
        for (int at = body + skip; at < end; ) {
            Mp4Box b = at(file, at, end);
            if (b == null) {
                break;
            }
            boxes.add(b);
            at = b.end;
        }
        return boxes;
    }

    /** The first child of a type, after {@code skip} bytes of this box's own fields; throws when there is none. */
    Mp4Box child(ByteBuf file, int skip, String type) {
        if (skip > size()) {
            throw new MediaFormatException("a box of " + size() + " bytes too short for its fields");
        }
        for (Mp4Box b : children(file, skip)) {
            if (b.type(file).equals(type)) {
                return b;
            }
        }
        throw new MediaFormatException("no " + type + " where one belongs");
    }

    /** The first child of a type, or null. */
    Mp4Box find(ByteBuf file, String type) {
        for (Mp4Box b : children(file, 0)) {
            if (b.type(file).equals(type)) {
                return b;
            }
        }
        return null;
    }
}
