package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.CompositeByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.server.internal.MemoryBudget;
import io.streamkit.server.internal.SharedEncoding;
import io.netty.handler.codec.DecoderException;
import io.streamkit.rtmp.RtmpProtocolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The chunk stream, byte for byte (RTMP spec 5.3), whole and one byte at a time. */
class RtmpChunkDecoderTest {

    /** RTMP spec 5.3.2.1: audio messages on one chunk stream, headers of types 0, 2, 3, 3. */
    @ParameterizedTest(name = "fed {0} byte(s) at a time")
    @ValueSource(ints = {1, 3, 1000})
    void specExampleOneHeaderTypes0233(int step) {
        ByteBuf in = hex(
                "03" + "0003e8" + "000020" + "08" + "39300000" + payload(32, 1),
                "83" + "000014" + payload(32, 2),
                "c3" + payload(32, 3),
                "c3" + payload(32, 4));
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, step);
        assertEquals(4, out.size());
        long[] ts = {1000, 1020, 1040, 1060};
        for (int i = 0; i < 4; i++) {
            RtmpMessage m = out.get(i);
            assertEquals(3, m.chunkStreamId());
            assertEquals(8, m.type());
            assertEquals(12345, m.streamId());
            assertEquals(ts[i], m.timestamp());
            assertEquals(payload(32, i + 1), ByteBufUtil.hexDump(m.payload()));
        }
        release(out);
    }

    /** RTMP spec 5.3.2.2: one 307-byte video message in chunks of 128. */
    @ParameterizedTest(name = "fed {0} byte(s) at a time")
    @ValueSource(ints = {1, 7, 1000})
    void specExampleTwoOneMessageInThreeChunks(int step) {
        String body = payload(307, 9);
        ByteBuf in = hex(
                "04" + "0003e8" + "000133" + "09" + "3a300000" + body.substring(0, 256),
                "c4" + body.substring(256, 512),
                "c4" + body.substring(512));
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, step);
        assertEquals(1, out.size());
        RtmpMessage m = out.get(0);
        assertEquals(9, m.type());
        assertEquals(12346, m.streamId());
        assertEquals(1000, m.timestamp());
        assertEquals(body, ByteBufUtil.hexDump(m.payload()));
        release(out);
    }

    @Test
    void typeOneHeaderChangesLengthAndTypeAndAddsItsDelta() {
        ByteBuf in = hex(
                "05" + "000064" + "000002" + "08" + "01000000" + "aaaa",
                "45" + "000021" + "000003" + "09" + "bbbbbb",
                "c5" + "cccccc");
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, 1000);
        assertEquals(List.of(100L, 133L, 166L), out.stream().map(RtmpMessage::timestamp).toList());
        assertEquals(List.of(8, 9, 9), out.stream().map(RtmpMessage::type).toList());
        assertEquals(List.of(1, 1, 1), out.stream().map(RtmpMessage::streamId).toList());
        assertEquals("cccccc", ByteBufUtil.hexDump(out.get(2).payload()));
        release(out);
    }

    @Test
    void twoAndThreeByteBasicHeaders() {
        ByteBuf in = hex(
                "00" + "24" + "000000" + "000001" + "14" + "00000000" + "01",    // csid 64 + 0x24 = 100
                "01" + "a803" + "000000" + "000001" + "14" + "00000000" + "02"); // csid 64 + 0x03a8 = 1000
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, 1);
        assertEquals(List.of(100, 1000), out.stream().map(RtmpMessage::chunkStreamId).toList());
        release(out);
    }

    @ParameterizedTest(name = "continuations repeat the extended timestamp: {0}")
    @ValueSource(booleans = {true, false})
    void extendedTimestampsPast0xFFFFFF(boolean repeated) {
        // 0x01000000 ms = 16777216 ms (4.66 hours): beyond the 24-bit field.
        String ext = "01000000";
        String body = payload(200, 5);
        ByteBuf in = hex(
                "06" + "ffffff" + "0000c8" + "09" + "01000000" + ext + body.substring(0, 256),
                "c6" + (repeated ? ext : "") + body.substring(256),
                // a new message with a type-3 header: same delta as the type-0 field (the extended value)
                "c6" + ext + body.substring(0, 256),
                "c6" + (repeated ? ext : "") + body.substring(256));
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, 1);
        assertEquals(2, out.size());
        assertEquals(0x01000000L, out.get(0).timestamp());
        assertEquals(0x02000000L, out.get(1).timestamp());
        assertEquals(body, ByteBufUtil.hexDump(out.get(0).payload()));
        assertEquals(body, ByteBufUtil.hexDump(out.get(1).payload()));
        release(out);
    }

    @Test
    void setChunkSizeTakesEffectForTheVeryNextChunk() {
        String big = payload(5000, 3);
        ByteBuf in = hex(
                "02" + "000000" + "000004" + "01" + "00000000" + "00001000",          // Set Chunk Size 4096
                "04" + "000000" + "001388" + "09" + "01000000" + big.substring(0, 8192),
                "c4" + big.substring(8192));
        RtmpChunkDecoder decoder = new RtmpChunkDecoder();
        List<RtmpMessage> out = decode(decoder, in, 1000);
        assertEquals(2, out.size());
        assertEquals(RtmpMessage.SET_CHUNK_SIZE, out.get(0).type());
        assertEquals(4096, decoder.chunkSize());
        assertEquals(big, ByteBufUtil.hexDump(out.get(1).payload()));
        release(out);
    }

    @Test
    void interleavedChunkStreamsReassembleIndependently() {
        String a = payload(300, 1);
        String b = payload(300, 2);
        ByteBuf in = hex(
                "04" + "000010" + "00012c" + "09" + "01000000" + a.substring(0, 256),
                "06" + "000020" + "00012c" + "08" + "01000000" + b.substring(0, 256),
                "c4" + a.substring(256, 512),
                "c6" + b.substring(256, 512),
                "c6" + b.substring(512),
                "c4" + a.substring(512));
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, 5);
        assertEquals(2, out.size());
        assertEquals(6, out.get(0).chunkStreamId());
        assertEquals(b, ByteBufUtil.hexDump(out.get(0).payload()));
        assertEquals(a, ByteBufUtil.hexDump(out.get(1).payload()));
        release(out);
    }

    @Test
    void abortDropsTheUnfinishedMessage() {
        ByteBuf in = hex(
                "04" + "000000" + "00012c" + "09" + "01000000" + payload(128, 1),
                "02" + "000000" + "000004" + "02" + "00000000" + "00000004",          // Abort chunk stream 4
                "04" + "000000" + "000002" + "09" + "01000000" + "abcd");
        List<RtmpMessage> out = decode(new RtmpChunkDecoder(), in, 1000);
        assertEquals(List.of(RtmpMessage.ABORT, RtmpMessage.VIDEO), out.stream().map(RtmpMessage::type).toList());
        assertEquals("abcd", ByteBufUtil.hexDump(out.get(1).payload()));
        release(out);
    }

    @Test
    void writerAndDecoderAgreeOnRandomMessagesAndChunkSizes() {
        Random random = new Random(20261122);
        for (int round = 0; round < 100; round++) {
            int chunkSize = 1 + random.nextInt(random.nextBoolean() ? 200 : 70_000);
            int csid = 2 + random.nextInt(random.nextBoolean() ? 62 : 65_597);
            long ts = random.nextBoolean() ? random.nextInt(0xFFFFFF) : (random.nextLong() & 0xFFFFFFFFL);
            // A second message follows on the same chunk stream with a type-1 header: a delta, small or extended.
            long delta = random.nextBoolean() ? random.nextInt(100) : (random.nextLong() & 0xFFFFFFFFL);
            EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder());
            ByteBuf setSize = Unpooled.buffer().writeInt(chunkSize);
            ch.writeInbound(RtmpChunkWriter.encode(ch.alloc(), 2, RtmpMessage.SET_CHUNK_SIZE, 0, 0, setSize, 128));
            setSize.release();
            byte[][] bodies = new byte[2][];
            for (int message = 0; message < 2; message++) {
                byte[] body = new byte[random.nextInt(random.nextBoolean() ? 300 : 20_000)];
                random.nextBytes(body);
                bodies[message] = body;
                ByteBuf payload = Unpooled.wrappedBuffer(body);
                int fmt = message;
                long time = message == 0 ? ts : delta;
                // Half the rounds split the body into a copied prefix (an FLV header) and a sliced payload.
                int prefixLength = Math.min(body.length, random.nextInt(9));
                ByteBuf wire;
                if (round % 2 == 0) {
                    wire = RtmpChunkWriter.encode(ch.alloc(), fmt, csid, 9, 7, time, payload, chunkSize);
                } else {
                    SharedEncoding.Parts leaves = new SharedEncoding.Parts();
                    RtmpChunkWriter.encode(ch.alloc(), fmt, csid, 9, 7, time, payload.slice(0, prefixLength),
                            payload.slice(prefixLength, body.length - prefixLength), chunkSize, leaves);
                    CompositeByteBuf joined = ch.alloc().compositeBuffer(leaves.count());
                    for (int i = 0; i < leaves.count(); i++) {
                        assertFalse(leaves.get(i) instanceof CompositeByteBuf, what(round) + ": leaf " + i + " is a composite");
                        joined.addComponent(true, leaves.get(i).retain());
                    }
                    leaves.release();
                    wire = joined;
                }
                while (wire.isReadable()) {
                    ch.writeInbound(wire.readRetainedSlice(Math.min(wire.readableBytes(), 1 + random.nextInt(3000))));
                }
                wire.release();
            }
            RtmpMessage sizeMsg = ch.readInbound();
            sizeMsg.release();
            for (int message = 0; message < 2; message++) {
                RtmpMessage m = ch.readInbound();
                String what = "round " + round + " message " + message + ": chunk size " + chunkSize + ", csid " + csid
                        + ", ts " + ts + ", delta " + delta + ", " + bodies[message].length + " B";
                assertEquals(csid, m.chunkStreamId(), what);
                assertEquals(message == 0 ? ts : (ts + delta) & 0xFFFFFFFFL, m.timestamp(), what);
                assertEquals(7, m.streamId(), what + ": a type-1 header inherits the message stream");
                assertEquals(ByteBufUtil.hexDump(bodies[message]), ByteBufUtil.hexDump(m.payload()), what);
                m.release();
            }
            assertFalse(ch.finish());
        }
    }

    private static String what(int round) {
        return "round " + round;
    }

    // ---- bad input: a clear error, then nothing more is read ----

    @Test
    void aMessageOverTheLimitIsRefused() {
        RtmpProtocolException e = fail(new RtmpChunkDecoder(1000, 8),
                "04" + "000000" + "0003e9" + "09" + "01000000" + payload(128, 1));
        assertEquals("message of 1001 bytes on chunk stream 4 exceeds the limit of 1000", e.getMessage());
    }

    @Test
    void tooManyChunkStreamsAreRefused() {
        StringBuilder hex = new StringBuilder();
        for (int csid = 3; csid <= 6; csid++) {
            hex.append(String.format("%02x", csid)).append("000000").append("000001").append("09").append("01000000").append("00");
        }
        RtmpProtocolException e = fail(new RtmpChunkDecoder(1000, 3), hex.toString());
        assertEquals("chunk stream 6 would be stream number 4 on this connection, more than the limit of 3", e.getMessage());
    }

    @Test
    void aChunkSizeOfZeroIsRefused() {
        RtmpProtocolException e = fail(new RtmpChunkDecoder(), "02" + "000000" + "000004" + "01" + "00000000" + "00000000");
        assertEquals("Set Chunk Size 0 outside 1-16777215", e.getMessage());
    }

    @Test
    void aChunkStreamCannotStartWithAHeaderThatLeavesTheLengthOut() {
        RtmpProtocolException e = fail(new RtmpChunkDecoder(), "85" + "000010" + "00");
        assertEquals("chunk stream 5 starts with a type-2 header; its first chunk must carry the message length and type",
                e.getMessage());
    }

    @Test
    void aNewHeaderInTheMiddleOfAMessageIsRefused() {
        RtmpProtocolException e = fail(new RtmpChunkDecoder(),
                "04" + "000000" + "00012c" + "09" + "01000000" + payload(128, 1)
                        + "04" + "000000" + "000001" + "09" + "01000000" + "00");
        assertEquals("chunk stream 4 sent a type-0 header with 172 bytes of its previous message still missing",
                e.getMessage());
    }

    @Test
    void unfinishedMessagesAcrossStreamsAreBoundedTogether() {
        StringBuilder hex = new StringBuilder();
        for (int csid = 3; csid <= 5; csid++) {   // three 900-byte messages, first chunks only; limit 2 x 1000
            hex.append(String.format("%02x", csid)).append("000000").append("000384").append("09").append("01000000")
                    .append(payload(128, csid));
        }
        RtmpProtocolException e = fail(new RtmpChunkDecoder(1000, 8), hex.toString());
        assertEquals("unfinished messages would hold 2444 bytes, more than the limit of 2000", e.getMessage());
    }

    // ---- memory grows with bytes received, within the budget's shares ----

    /** Issue 15's pattern: two 8 MiB messages declared, one chunk of each sent: 280 bytes must not pin 16 MiB. */
    @Test
    void aDeclaredLengthAllocatesNothingBeyondWhatArrived() {
        MemoryBudget budget = new MemoryBudget(1L << 30, 1L << 30);
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(8 << 20, 64, budget);
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        for (int csid = 4; csid <= 5; csid++) {
            ch.writeInbound(hex(String.format("%02x", csid) + "000000" + "800000" + "09" + "01000000" + payload(128, csid)));
        }
        assertEquals(256, decoder.heldBytes(), "the two chunks, nothing declared");
        assertEquals(256, budget.used());
        long allocated = io.netty.buffer.ByteBufAllocator.DEFAULT instanceof io.netty.buffer.PooledByteBufAllocator p
                ? p.metric().usedDirectMemory() + p.metric().usedHeapMemory() : -1;
        assertFalse(ch.finish());
        assertEquals(0, budget.used(), "a closed connection gives its share back");
        assertTrue(allocated < 8 << 20 || allocated == -1, "the pool holds " + allocated + " bytes");
    }

    @Test
    void aGatheredMessageGivesItsBytesBackWhenComplete() {
        MemoryBudget budget = new MemoryBudget(1L << 30, 1L << 30);
        RtmpChunkDecoder decoder = new RtmpChunkDecoder(8 << 20, 64, budget);
        String body = payload(307, 9);
        List<RtmpMessage> out = decode(decoder, hex(
                "04" + "0003e8" + "000133" + "09" + "3a300000" + body.substring(0, 256),
                "c4" + body.substring(256, 512),
                "c4" + body.substring(512)), 5);
        assertEquals(1, out.size());
        assertEquals(body, ByteBufUtil.hexDump(out.get(0).payload()));
        assertEquals(0, budget.used());
        release(out);
    }

    @Test
    void theAddressShareIsEnforcedAcrossConnections() {
        MemoryBudget budget = new MemoryBudget(1L << 30, 100_000);
        List<EmbeddedChannel> open = new ArrayList<>();
        RtmpProtocolException refused = null;
        // Each connection sets a 60,000-byte chunk size and sends 40,000 bytes of a 1 MB message's first chunk.
        io.streamkit.server.internal.ConnectionGate gate = new io.streamkit.server.internal.ConnectionGate("rtmp", 10, 10,
                new io.streamkit.server.internal.ClientLog(100, 100));
        for (int i = 0; i < 3 && refused == null; i++) {
            EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(8 << 20, 64, budget));
            assertTrue(gate.admit(ch, new java.net.InetSocketAddress("192.0.2.7", 40_000 + i)));
            open.add(ch);
            ch.writeInbound(hex("02" + "000000" + "000004" + "01" + "00000000" + "0000ea60"));
            RtmpMessage size = ch.readInbound();
            size.release();
            try {
                ch.writeInbound(hex("04" + "000000" + "0f4240" + "09" + "01000000" + payload(40_000, i)));
            } catch (DecoderException e) {
                refused = assertInstanceOf(RtmpProtocolException.class, e.getCause());
            }
        }
        // The connections share one address: two connections' 40,012 bytes (header and the part
        // of the chunk) fit 100,000, the third's do not.
        assertEquals(3, open.size());
        assertTrue(refused != null && refused.getMessage().startsWith("connections from this address would hold"),
                String.valueOf(refused));
        assertEquals(1, budget.refusals());
        for (EmbeddedChannel ch : open) {
            ch.finishAndReleaseAll();
        }
        assertEquals(0, budget.used());
    }

    @Test
    void theServerBudgetIsEnforced() {
        MemoryBudget budget = new MemoryBudget(40_000, 1 << 20);
        EmbeddedChannel ch = new EmbeddedChannel(new RtmpChunkDecoder(8 << 20, 64, budget));
        ch.writeInbound(hex("02" + "000000" + "000004" + "01" + "00000000" + "0000ea60"));
        RtmpMessage size = ch.readInbound();
        size.release();
        DecoderException e = assertThrows(DecoderException.class,
                () -> ch.writeInbound(hex("04" + "000000" + "0f4240" + "09" + "01000000" + payload(50_000, 1))));
        assertEquals("the server would hold 50012 bytes of unfinished input, more than its memory budget of 40000",
                e.getCause().getMessage());
        ch.finishAndReleaseAll();
        assertEquals(0, budget.used());
    }

    private static RtmpProtocolException fail(RtmpChunkDecoder decoder, String hex) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        DecoderException e = assertThrows(DecoderException.class, () -> ch.writeInbound(hex(hex)));
        // After the error the decoder reads nothing more, and holds nothing.
        ch.writeInbound(hex("04" + "000000" + "000001" + "09" + "01000000" + "00"));
        RtmpMessage m;
        while ((m = ch.readInbound()) != null) {
            m.release();
        }
        ch.finishAndReleaseAll();
        return assertInstanceOf(RtmpProtocolException.class, e.getCause());
    }

    // ---- helpers ----

    private static List<RtmpMessage> decode(RtmpChunkDecoder decoder, ByteBuf in, int step) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(Math.min(step, in.readableBytes())));
        }
        in.release();
        List<RtmpMessage> out = new ArrayList<>();
        RtmpMessage m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        assertFalse(ch.finish());
        return out;
    }

    private static void release(List<RtmpMessage> messages) {
        messages.forEach(RtmpMessage::release);
    }

    private static ByteBuf hex(String... parts) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(String.join("", parts).replace(" ", "")));
    }

    /** {@code n} bytes counting up from {@code seed}, as hex. */
    private static String payload(int n, int seed) {
        byte[] b = new byte[n];
        for (int i = 0; i < n; i++) {
            b[i] = (byte) (seed * 31 + i);
        }
        return ByteBufUtil.hexDump(b);
    }
}
