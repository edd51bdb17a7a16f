package io.streamkit.rtmp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.streamkit.format.amf0.Amf0Writer;
import io.streamkit.format.flv.FlvHeader;
import io.streamkit.format.flv.FlvTagHeader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A minimal RTMP player for interop tests that need a client announcing what no independent
 * client here announces (Enhanced RTMP multitrack in {@code capsEx}): the simple handshake,
 * {@code connect} with the given extra properties, {@code createStream}, {@code play}, then
 * every audio, video and data message until the stream ends or the time is up, kept as an FLV
 * file (message timestamps as tag timestamps) for an independent demuxer to read. Messages are
 * read back with the server's own chunk decoder; what is checked is the file.
 */
final class RawRtmpPlayer {
    private RawRtmpPlayer() {
    }

    /**
     * Plays a stream into an FLV file.
     *
     * @param port the server's RTMP port on 127.0.0.1
     * @param app the application
     * @param name the stream name
     * @param connectExtras extra properties of the connect command object
     * @param millis how long to read at most
     * @param out the FLV file to write
     * @return how many audio and video messages were kept
     * @throws IOException when the connection fails
     */
    static int play(int port, String app, String name, Map<String, Object> connectExtras, long millis, Path out)
            throws IOException {
        ByteArrayOutputStream flv = new ByteArrayOutputStream();
        ByteBuf head = Unpooled.buffer();
        FlvHeader.writeTo(head, true, true);
        flv.writeBytes(bytes(head));
        int kept = 0;
        EmbeddedChannel decoding = new EmbeddedChannel(new RtmpChunkDecoder());
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(500);
            OutputStream os = socket.getOutputStream();
            InputStream is = socket.getInputStream();
            byte[] c0c1 = new byte[1 + 1536];
            c0c1[0] = 3;
            os.write(c0c1);
            byte[] s0s1s2 = is.readNBytes(1 + 1536 + 1536);
            os.write(s0s1s2, 1, 1536);   // C2 echoes S1
            Map<String, Object> props = new java.util.LinkedHashMap<>();
            props.put("app", app);
            props.put("tcUrl", "rtmp://127.0.0.1:" + port + "/" + app);
            props.put("flashVer", "LNX 9,0,124,2");
            props.putAll(connectExtras);
            os.write(command(3, 0, "connect", 1.0, props));
            os.write(command(3, 0, "createStream", 2.0, null));
            os.write(command(8, 1, "play", 0.0, null, name));
            os.flush();
            long deadline = System.nanoTime() + millis * 1_000_000;
            byte[] buf = new byte[65536];
            boolean ended = false;
            while (!ended && System.nanoTime() < deadline) {
                int n;
                try {
                    n = is.read(buf);
                } catch (SocketTimeoutException idle) {
                    continue;
                }
                if (n < 0) {
                    break;
                }
                decoding.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                for (RtmpMessage m; (m = decoding.readInbound()) != null; ) {
                    try {
                        int type = m.type();
                        if (type == RtmpMessage.AUDIO || type == RtmpMessage.VIDEO
                                || type == RtmpMessage.DATA_AMF0) {
                            ByteBuf tag = Unpooled.buffer();
                            FlvTagHeader.write(tag, type, m.payload().readableBytes(), m.timestamp());
                            tag.writeBytes(m.payload(), m.payload().readerIndex(), m.payload().readableBytes());
                            FlvTagHeader.writePreviousTagSize(tag, m.payload().readableBytes());
                            flv.writeBytes(bytes(tag));
                            if (type != RtmpMessage.DATA_AMF0) {
                                kept++;
                            }
                        } else if (type == RtmpMessage.COMMAND_AMF0
                                && m.payload().toString(java.nio.charset.StandardCharsets.ISO_8859_1)
                                .contains("NetStream.Play.Stop")) {
                            ended = true;
                        }
                    } finally {
                        m.release();
                    }
                }
            }
        } finally {
            decoding.finishAndReleaseAll();
        }
        Files.write(out, flv.toByteArray());
        return kept;
    }

    private static byte[] command(int csid, int streamId, Object... values) {
        ByteBuf body = Unpooled.buffer();
        Amf0Writer.writeAll(body, values);
        ByteBuf wire = RtmpChunkWriter.encode(Unpooled.buffer().alloc(), csid, RtmpMessage.COMMAND_AMF0, streamId, 0, body,
                RtmpChunkDecoder.INITIAL_CHUNK_SIZE);
        body.release();
        return bytes(wire);
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        buf.release();
        return b;
    }
}
