package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * RTMP ingest throughput: how fast {@link RtmpChunkDecoder} reassembles a publisher's chunk
 * stream into messages, at the chunk size 128 that some encoders never change and at the
 * 4096 that OBS and ffmpeg announce.
 *
 * <p><b>What one operation is.</b> One pass over two seconds of a 2.5 Mbps H.264 + AAC
 * publish ({@link SyntheticStream}: 50 video frames with one 80 KB keyframe, 87 AAC frames),
 * chunked by {@link RtmpChunkWriter} at {@code chunkSize} and, at 4096, preceded by the Set
 * Chunk Size message that announces it: {@value #MESSAGES_128} messages at 128,
 * {@value #MESSAGES_128} + 1 at 4096. Every decoded message is released at once. Setup
 * prints the stream's size; MB/s is that size divided by the score, and
 * {@code gc.alloc.rate.norm} divided by the message count is the allocation per message.
 *
 * <p><b>Harnesses</b> ({@code harness}):
 * <ul>
 *   <li>{@code channel}: what a server does. The decoder sits in a pipeline (of an
 *       {@link EmbeddedChannel}, which only hosts it) and receives the stream as socket
 *       reads of {@value #READ_BYTES} bytes, each a fresh buffer from the default allocator
 *       with {@code fireChannelRead} and {@code fireChannelReadComplete}, as NIO's read loop
 *       does; so {@link io.netty.handler.codec.ByteToMessageDecoder}'s cumulation (which
 *       copies a read into the unfinished bytes of the previous one) is included. The copy of
 *       the bytes into each read buffer stands in for the socket read. A handler after the
 *       decoder releases each message; EmbeddedChannel's own queues are not used.</li>
 *   <li>{@code direct}: the decoder alone. {@code decode} is called once with the whole
 *       stream in one buffer: no cumulation, no pipeline.</li>
 * </ul>
 *
 * <p><b>Checks.</b> Setup decodes the stream once and compares every message (type, stream,
 * timestamp, payload bytes) with what was sent; teardown checks that every pass produced
 * every message and byte, that the decoder ends at the announced chunk size, and that no
 * buffer is left behind. Leak detection is off in the fork so that sampling does not wrap
 * buffers in tracking objects that allocate.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = "-Dio.netty.leakDetection.level=disabled")
@State(Scope.Thread)
public class RtmpChunkDecoderBenchmark {

    /** Bytes per socket read: what NIO's adaptive receive buffer settles near for a few-Mbps stream. */
    static final int READ_BYTES = 16_384;

    /** Media messages in one pass (50 video, 87 audio). */
    static final int MESSAGES_128 = 137;

    /** Message stream id of the publish, the first createStream's. */
    static final int STREAM_ID = 1;

    @Param({"128", "4096"})
    int chunkSize;

    @Param({"channel", "direct"})
    String harness;

    private final ByteBufAllocator alloc = ByteBufAllocator.DEFAULT;
    private ByteBuf stream;
    private int messagesPerPass;
    private long payloadBytesPerPass;
    private EmbeddedChannel channel;
    private ChannelPipeline pipeline;
    private RtmpChunkDecoder decoder;
    private ChannelHandlerContext decoderContext;
    private Sink sink;
    private final List<Object> out = new ArrayList<>();
    private long passes;

    /** Builds the chunk stream and the decoder, and checks one decoded pass against the source. */
    @Setup(Level.Trial)
    public void setUp() {
        List<SyntheticStream.Unit> units = SyntheticStream.oneGop();
        if (units.size() != MESSAGES_128) {
            throw new IllegalStateException(units.size() + " units in the synthetic stream, expected " + MESSAGES_128);
        }
        List<RtmpMessage> expected = new ArrayList<>();
        if (chunkSize != RtmpChunkDecoder.INITIAL_CHUNK_SIZE) {
            expected.add(new RtmpMessage(RtmpMessages.CSID_CONTROL, RtmpMessage.SET_CHUNK_SIZE, 0, 0,
                    Unpooled.buffer(4).writeInt(chunkSize)));
        }
        for (SyntheticStream.Unit u : units) {
            expected.add(new RtmpMessage(u.video() ? RtmpMessages.CSID_VIDEO : RtmpMessages.CSID_AUDIO,
                    u.video() ? RtmpMessage.VIDEO : RtmpMessage.AUDIO, STREAM_ID, u.dtsMillis(),
                    Unpooled.wrappedBuffer(SyntheticStream.flvBody(u))));
        }
        stream = alloc.directBuffer();
        int writerChunkSize = RtmpChunkDecoder.INITIAL_CHUNK_SIZE;
        payloadBytesPerPass = 0;
        for (RtmpMessage m : expected) {
            ByteBuf chunked = RtmpChunkWriter.encode(alloc, m.chunkStreamId(), m.type(), m.streamId(), m.timestamp(),
                    m.payload(), writerChunkSize);
            stream.writeBytes(chunked);
            chunked.release();
            payloadBytesPerPass += m.payload().readableBytes();
            if (m.type() == RtmpMessage.SET_CHUNK_SIZE) {
                writerChunkSize = chunkSize;
            }
        }
        messagesPerPass = expected.size();

        decoder = new RtmpChunkDecoder();
        sink = new Sink();
        channel = new EmbeddedChannel(decoder, sink);
        pipeline = channel.pipeline();
        decoderContext = pipeline.context(decoder);

        sink.capture = new ArrayList<>();
        pass();
        List<RtmpMessage> got = sink.capture;
        sink.capture = null;
        try {
            if (got.size() != expected.size()) {
                throw new IllegalStateException("decoded " + got.size() + " messages, expected " + expected.size());
            }
            for (int i = 0; i < got.size(); i++) {
                RtmpMessage g = got.get(i);
                RtmpMessage e = expected.get(i);
                if (g.type() != e.type() || g.streamId() != e.streamId() || g.timestamp() != e.timestamp()
                        || g.chunkStreamId() != e.chunkStreamId() || !ByteBufUtil.equals(g.payload(), e.payload())) {
                    throw new IllegalStateException("message " + i + " decoded as " + g + ", sent as " + e);
                }
            }
        } finally {
            got.forEach(RtmpMessage::release);
            expected.forEach(RtmpMessage::release);
        }
        if (decoder.chunkSize() != chunkSize) {
            throw new IllegalStateException("decoder at chunk size " + decoder.chunkSize() + ", expected " + chunkSize);
        }
        passes = 0;
        sink.messages = 0;
        sink.payloadBytes = 0;
        System.out.printf("%nstream: %d bytes on the wire, %d messages, %d payload bytes a pass%n",
                stream.readableBytes(), messagesPerPass, payloadBytesPerPass);
    }

    /**
     * Decodes two seconds of the publish.
     *
     * @return messages decoded so far, so the work cannot be discarded
     */
    @Benchmark
    public long decode() {
        pass();
        return sink.messages;
    }

    private void pass() {
        passes++;
        if (harness.equals("direct")) {
            ByteBuf in = stream.retainedDuplicate();
            try {
                decoder.decode(decoderContext, in, out);
            } finally {
                in.release();
            }
            for (int i = 0, n = out.size(); i < n; i++) {
                sink.accept(out.get(i));
            }
            out.clear();
            return;
        }
        int length = stream.readableBytes();
        for (int off = 0; off < length; off += READ_BYTES) {
            int n = Math.min(READ_BYTES, length - off);
            ByteBuf read = alloc.ioBuffer(READ_BYTES);
            read.writeBytes(stream, stream.readerIndex() + off, n);
            pipeline.fireChannelRead(read);
            pipeline.fireChannelReadComplete();
        }
    }

    /** Checks that every pass produced every message, and that nothing is left behind. */
    @TearDown(Level.Trial)
    public void tearDown() {
        try {
            if (sink.messages != passes * messagesPerPass || sink.payloadBytes != passes * payloadBytesPerPass) {
                throw new IllegalStateException(passes + " passes produced " + sink.messages + " messages of "
                        + sink.payloadBytes + " bytes, expected " + messagesPerPass + " and " + payloadBytesPerPass
                        + " a pass");
            }
            if (decoder.chunkSize() != chunkSize) {
                throw new IllegalStateException("decoder ended at chunk size " + decoder.chunkSize());
            }
            if (channel.finish()) {
                throw new IllegalStateException("the channel kept messages: " + channel.readInbound());
            }
        } finally {
            int refCnt = stream.refCnt();
            if (refCnt > 0) {
                stream.release(refCnt);
            }
            if (refCnt != 1) {
                throw new IllegalStateException("stream buffer had " + refCnt + " references, expected 1");
            }
        }
    }

    /** Counts and releases what the decoder emits; in setup, keeps it for the check instead. */
    static final class Sink extends ChannelInboundHandlerAdapter {
        long messages;
        long payloadBytes;
        List<RtmpMessage> capture;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            accept(msg);
        }

        void accept(Object msg) {
            if (!(msg instanceof RtmpMessage m)) {
                ReferenceCountUtil.release(msg);
                throw new IllegalStateException("decoder emitted " + msg);
            }
            messages++;
            payloadBytes += m.payload().readableBytes();
            if (capture != null) {
                capture.add(m);
            } else {
                m.release();
            }
        }
    }
}
