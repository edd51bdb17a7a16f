package io.streamkit.format.amf0;

import static io.streamkit.format.amf0.Amf0TypesTest.ecma;
import static io.streamkit.format.amf0.Amf0TypesTest.object;
import static io.streamkit.format.amf0.AmfHex.assertHex;
import static io.streamkit.format.amf0.AmfHex.assertValue;
import static io.streamkit.format.amf0.AmfHex.readAllAmf0;
import static io.streamkit.format.amf0.AmfHex.write;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * RTMP command and data message bodies as clients and servers send them. The bytes were laid
 * out by hand from what ffmpeg's rtmpproto.c {@code gen_connect} and OBS's librtmp
 * {@code SendConnectPacket} write, one property at a time.
 */
class Amf0CommandsTest {
    private static final String TC_URL = "rtmp://127.0.0.1:1935/live";

    /** ffmpeg -f flv rtmp://127.0.0.1:1935/live/stream (publishing). */
    private static final String FFMPEG_PUBLISH_CONNECT = """
            02 00 07 63 6f 6e 6e 65 63 74 00 3f f0 00 00 00 00 00 00 03 00 03 61 70 70 02 00 04 6c 69 76 65
            00 04 74 79 70 65 02 00 0a 6e 6f 6e 70 72 69 76 61 74 65 00 08 66 6c 61 73 68 56 65 72 02 00 23
            46 4d 4c 45 2f 33 2e 30 20 28 63 6f 6d 70 61 74 69 62 6c 65 3b 20 4c 61 76 66 36 31 2e 37 2e 31
            30 30 29 00 05 74 63 55 72 6c 02 00 1a 72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39
            33 35 2f 6c 69 76 65 00 00 09
            """;

    /** ffplay rtmp://127.0.0.1:1935/live/stream (playing): no type, and the capability numbers. */
    private static final String FFMPEG_PLAY_CONNECT = """
            02 00 07 63 6f 6e 6e 65 63 74 00 3f f0 00 00 00 00 00 00 03 00 03 61 70 70 02 00 04 6c 69 76 65
            00 08 66 6c 61 73 68 56 65 72 02 00 0d 4c 4e 58 20 39 2c 30 2c 31 32 34 2c 32 00 05 74 63 55 72
            6c 02 00 1a 72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39 33 35 2f 6c 69 76 65 00 04
            66 70 61 64 01 00 00 0c 63 61 70 61 62 69 6c 69 74 69 65 73 00 40 2e 00 00 00 00 00 00 00 0b 61
            75 64 69 6f 43 6f 64 65 63 73 00 40 af ce 00 00 00 00 00 00 0b 76 69 64 65 6f 43 6f 64 65 63 73
            00 40 6f 80 00 00 00 00 00 00 0d 76 69 64 65 6f 46 75 6e 63 74 69 6f 6e 00 3f f0 00 00 00 00 00
            00 00 00 09
            """;

    /** OBS Studio publishing with librtmp: the FMLE flashVer and a swfUrl equal to the tcUrl. */
    private static final String OBS_PUBLISH_CONNECT = """
            02 00 07 63 6f 6e 6e 65 63 74 00 3f f0 00 00 00 00 00 00 03 00 03 61 70 70 02 00 04 6c 69 76 65
            00 04 74 79 70 65 02 00 0a 6e 6f 6e 70 72 69 76 61 74 65 00 08 66 6c 61 73 68 56 65 72 02 00 1f
            46 4d 4c 45 2f 33 2e 30 20 28 63 6f 6d 70 61 74 69 62 6c 65 3b 20 46 4d 53 63 2f 31 2e 30 29 00
            06 73 77 66 55 72 6c 02 00 1a 72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31 39 33 35 2f
            6c 69 76 65 00 05 74 63 55 72 6c 02 00 1a 72 74 6d 70 3a 2f 2f 31 32 37 2e 30 2e 30 2e 31 3a 31
            39 33 35 2f 6c 69 76 65 00 00 09
            """;

    /** OBS's @setDataFrame: an ECMA array whose count (15) is the real one. */
    private static final String OBS_SET_DATA_FRAME = """
            02 00 0d 40 73 65 74 44 61 74 61 46 72 61 6d 65 02 00 0a 6f 6e 4d 65 74 61 44 61 74 61 08 00 00
            00 0f 00 08 64 75 72 61 74 69 6f 6e 00 00 00 00 00 00 00 00 00 00 08 66 69 6c 65 53 69 7a 65 00
            00 00 00 00 00 00 00 00 00 05 77 69 64 74 68 00 40 94 00 00 00 00 00 00 00 06 68 65 69 67 68 74
            00 40 86 80 00 00 00 00 00 00 0c 76 69 64 65 6f 63 6f 64 65 63 69 64 00 40 1c 00 00 00 00 00 00
            00 0d 76 69 64 65 6f 64 61 74 61 72 61 74 65 00 40 a3 88 00 00 00 00 00 00 09 66 72 61 6d 65 72
            61 74 65 00 40 3e 00 00 00 00 00 00 00 0c 61 75 64 69 6f 63 6f 64 65 63 69 64 00 40 24 00 00 00
            00 00 00 00 0d 61 75 64 69 6f 64 61 74 61 72 61 74 65 00 40 64 00 00 00 00 00 00 00 0f 61 75 64
            69 6f 73 61 6d 70 6c 65 72 61 74 65 00 40 e7 70 00 00 00 00 00 00 0f 61 75 64 69 6f 73 61 6d 70
            6c 65 73 69 7a 65 00 40 30 00 00 00 00 00 00 00 0d 61 75 64 69 6f 63 68 61 6e 6e 65 6c 73 00 40
            00 00 00 00 00 00 00 00 06 73 74 65 72 65 6f 01 01 00 03 32 2e 31 01 00 00 07 65 6e 63 6f 64 65
            72 02 00 29 6f 62 73 2d 6f 75 74 70 75 74 20 6d 6f 64 75 6c 65 20 28 6c 69 62 6f 62 73 20 76 65
            72 73 69 6f 6e 20 33 30 2e 30 2e 32 29 00 00 09
            """;

    private static final String CONNECT_RESULT = """
            02 00 07 5f 72 65 73 75 6c 74 00 3f f0 00 00 00 00 00 00 03 00 06 66 6d 73 56 65 72 02 00 0d 46
            4d 53 2f 33 2c 30 2c 31 2c 31 32 33 00 0c 63 61 70 61 62 69 6c 69 74 69 65 73 00 40 3f 00 00 00
            00 00 00 00 00 09 03 00 05 6c 65 76 65 6c 02 00 06 73 74 61 74 75 73 00 04 63 6f 64 65 02 00 1d
            4e 65 74 43 6f 6e 6e 65 63 74 69 6f 6e 2e 43 6f 6e 6e 65 63 74 2e 53 75 63 63 65 73 73 00 0b 64
            65 73 63 72 69 70 74 69 6f 6e 02 00 15 43 6f 6e 6e 65 63 74 69 6f 6e 20 73 75 63 63 65 65 64 65
            64 2e 00 0e 6f 62 6a 65 63 74 45 6e 63 6f 64 69 6e 67 00 00 00 00 00 00 00 00 00 00 00 09
            """;

    private static final String PUBLISH_START = """
            02 00 08 6f 6e 53 74 61 74 75 73 00 00 00 00 00 00 00 00 00 05 03 00 05 6c 65 76 65 6c 02 00 06
            73 74 61 74 75 73 00 04 63 6f 64 65 02 00 17 4e 65 74 53 74 72 65 61 6d 2e 50 75 62 6c 69 73 68
            2e 53 74 61 72 74 00 0b 64 65 73 63 72 69 70 74 69 6f 6e 02 00 1d 6c 69 76 65 2f 73 74 72 65 61
            6d 20 69 73 20 6e 6f 77 20 70 75 62 6c 69 73 68 65 64 2e 00 00 09
            """;

    @Test
    void decodesFfmpegPublishConnect() {
        assertValue(List.of("connect", 1.0, object("app", "live", "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; Lavf61.7.100)", "tcUrl", TC_URL)),
                readAllAmf0(FFMPEG_PUBLISH_CONNECT));
    }

    @Test
    void decodesFfmpegPlayConnect() {
        assertValue(List.of("connect", 1.0, object("app", "live", "flashVer", "LNX 9,0,124,2", "tcUrl", TC_URL,
                "fpad", false, "capabilities", 15.0, "audioCodecs", 4071.0, "videoCodecs", 252.0,
                "videoFunction", 1.0)), readAllAmf0(FFMPEG_PLAY_CONNECT));
    }

    @Test
    void decodesObsConnect() {
        List<Object> values = readAllAmf0(OBS_PUBLISH_CONNECT);
        assertValue(List.of("connect", 1.0, object("app", "live", "type", "nonprivate",
                "flashVer", "FMLE/3.0 (compatible; FMSc/1.0)", "swfUrl", TC_URL, "tcUrl", TC_URL)), values);
        // What the RTMP layer does with it.
        Map<?, ?> command = assertInstanceOf(Map.class, values.get(2));
        assertEquals("live", command.get("app"));
        assertEquals(1, ((Number) values.get(1)).intValue());
    }

    @Test
    void roundTripsObsMetadataKeepingTheEcmaArray() {
        List<Object> values = readAllAmf0(OBS_SET_DATA_FRAME);
        assertEquals(List.of("@setDataFrame", "onMetaData"), values.subList(0, 2));
        Amf0EcmaArray metadata = assertInstanceOf(Amf0EcmaArray.class, values.get(2));
        assertEquals(1280.0, metadata.get("width"));
        assertEquals(720.0, metadata.get("height"));
        assertEquals(30.0, metadata.get("framerate"));
        assertEquals(7.0, metadata.get("videocodecid"));
        assertEquals(10.0, metadata.get("audiocodecid"));
        assertEquals(false, metadata.get("2.1"));
        assertEquals(15, metadata.size());
        assertHex(OBS_SET_DATA_FRAME, write(out -> Amf0Writer.writeAll(out, values.toArray())));
    }

    @Test
    void writesMetadataFromAnEcmaArray() {
        Amf0EcmaArray metadata = ecma("width", 640, "height", 360, "framerate", 25, "videocodecid", 7,
                "audiocodecid", 10);
        String hex = write(out -> Amf0Writer.writeAll(out, "onMetaData", metadata));
        List<Object> back = readAllAmf0(hex);
        assertValue(List.of("onMetaData", ecma("width", 640.0, "height", 360.0, "framerate", 25.0,
                "videocodecid", 7.0, "audiocodecid", 10.0)), back);
    }

    @Test
    void writesTheConnectResultAsServersDo() {
        Object[] reply = {"_result", 1.0, object("fmsVer", "FMS/3,0,1,123", "capabilities", 31),
            object("level", "status", "code", "NetConnection.Connect.Success",
                    "description", "Connection succeeded.", "objectEncoding", 0)};
        String hex = write(out -> Amf0Writer.writeAll(out, reply));
        assertHex(CONNECT_RESULT, hex);
        assertValue(List.of("_result", 1.0, object("fmsVer", "FMS/3,0,1,123", "capabilities", 31.0),
                object("level", "status", "code", "NetConnection.Connect.Success",
                        "description", "Connection succeeded.", "objectEncoding", 0.0)), readAllAmf0(hex));
    }

    @Test
    void writesOnStatus() {
        String hex = write(out -> Amf0Writer.writeAll(out, "onStatus", 0, null, object("level", "status",
                "code", "NetStream.Publish.Start", "description", "live/stream is now published.")));
        assertHex(PUBLISH_START, hex);
        List<Object> back = readAllAmf0(hex);
        assertEquals("NetStream.Publish.Start", ((Map<?, ?>) back.get(3)).get("code"));
        assertValue(List.of("onStatus", 0.0), back.subList(0, 2));
        assertEquals(null, back.get(2));
        // Any map is an object: Map.of too, in its own iteration order.
        assertHex("03 0004 636f6465 02 0001 78 000009", write(out -> Amf0Writer.write(out, Map.of("code", "x"))));
    }

    @Test
    void readsAmf3CommandObjectsOfTypeSeventeen() {
        // Type 17: a 0x00 format byte the RTMP layer skips, then AMF0 whose command object is AMF3 (0x11).
        ByteBuf body = Unpooled.wrappedBuffer(AmfHex.bytes("""
                00
                02 0007 636f6e6e656374  00 3ff0000000000000
                11 0a 0b 01  07 617070 06 09 6c697665  1d 6f626a656374456e636f64696e67 04 03  01
                """));
        try {
            body.skipBytes(1);
            assertValue(List.of("connect", 1.0, object("app", "live", "objectEncoding", 3)),
                    Amf0Reader.readAll(body));
        } finally {
            body.release();
        }
    }

    @Test
    void readsOneValueAtATime() {
        ByteBuf body = Unpooled.wrappedBuffer(AmfHex.bytes(PUBLISH_START));
        try {
            assertEquals("onStatus", Amf0Reader.read(body));
            assertEquals(0.0, Amf0Reader.read(body));
            assertEquals(null, Amf0Reader.read(body));
            assertInstanceOf(Map.class, Amf0Reader.read(body));
            assertEquals(0, body.readableBytes());
            assertEquals(List.of(), Amf0Reader.readAll(body));
        } finally {
            body.release();
        }
    }
}
