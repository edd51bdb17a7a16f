package io.streamkit.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * A minimal HTTP-FLV player: one GET, the response head checked for status 200, then the body
 * (chunked transfer coding or plain) parsed into FLV tags as bytes arrive.
 *
 * <p>A byte-level state machine with no cumulation: tag headers (11 bytes) are collected into
 * fields, tag bodies are counted and skipped, so nothing is allocated per tag. Only the first
 * two bytes of a video tag are looked at (the keyframe test). Timestamps are the tag's
 * 24 bits plus the extended byte (FLV spec E.4.1).
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>response head</td><td>{@value #MAX_HEAD_SIZE} bytes</td><td>player fails</td></tr>
 *   <tr><td>tag body</td><td>{@value #MAX_TAG_SIZE} bytes (24-bit field)</td><td>cannot exceed</td></tr>
 * </table>
 */
final class HttpFlvPlayHandler extends ChannelInboundHandlerAdapter {
    /** Response heads are a few hundred bytes; anything near this is not an FLV server. */
    static final int MAX_HEAD_SIZE = 16 << 10;
    /** The FLV DataSize field is 24 bits. */
    static final int MAX_TAG_SIZE = 0xFFFFFF;

    private static final int FLV_PREAMBLE = 9 + 4;   // FLV header and PreviousTagSize0
    private static final int TAG_HEADER = 11;

    private enum Body { PREAMBLE, TAG_HEADER, TAG_BODY, PREVIOUS_SIZE }

    private final PlayerStats stats;
    private final String host;
    private final String path;
    private final StringBuilder head = new StringBuilder();
    private boolean inHead = true;
    private boolean chunked;
    private boolean failed;
    // chunked transfer coding
    private int chunkLeft;          // data bytes left in the current chunk
    private long chunkSize = -1;    // size line being parsed, -1 before the first digit
    private int chunkState;         // 0 size line, 1 data, 2 CRLF after data, 3 extension until LF
    // FLV
    private Body body = Body.PREAMBLE;
    private int left = FLV_PREAMBLE;
    private int tagType;
    private int tagSize;
    private long tagTime;
    private int headerPos;
    private int b0;
    private int b1;

    HttpFlvPlayHandler(PlayerStats stats, String host, String path) {
        this.stats = stats;
        this.host = host;
        this.path = path;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        stats.connectedNanos = System.nanoTime();
        String request = "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nUser-Agent: streamkit-load\r\nAccept: */*\r\n\r\n";
        ctx.writeAndFlush(ctx.alloc().buffer().writeBytes(request.getBytes(StandardCharsets.US_ASCII)));
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf in = (ByteBuf) msg;
        try {
            stats.bytes += in.readableBytes();
            if (failed) {
                return;
            }
            if (inHead && !head(ctx, in)) {
                return;
            }
            if (chunked) {
                dechunk(ctx, in);
            } else {
                flv(ctx, in, in.readableBytes());
            }
        } finally {
            in.release();
        }
    }

    /** Reads the response head; true once it is complete and accepted. */
    private boolean head(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable()) {
            head.append((char) in.readUnsignedByte());
            int n = head.length();
            if (n >= 4 && head.charAt(n - 1) == '\n' && head.charAt(n - 2) == '\r'
                    && head.charAt(n - 3) == '\n' && head.charAt(n - 4) == '\r') {
                String text = head.toString();
                String status = text.substring(0, Math.max(0, text.indexOf('\r')));
                if (!status.matches("HTTP/1\\.[01] 200.*")) {
                    fail(ctx, "HTTP status line: " + status);
                    return false;
                }
                chunked = text.toLowerCase(Locale.ROOT).contains("\ntransfer-encoding: chunked");
                inHead = false;
                head.setLength(0);
                return true;
            }
            if (n > MAX_HEAD_SIZE) {
                fail(ctx, "HTTP response head over " + MAX_HEAD_SIZE + " bytes");
                return false;
            }
        }
        return false;
    }

    /** Strips the chunked transfer coding (RFC 9112 7.1) and feeds the data to the FLV parser. */
    private void dechunk(ChannelHandlerContext ctx, ByteBuf in) {
        while (in.isReadable() && !failed) {
            switch (chunkState) {
                case 0 -> {
                    int c = in.readUnsignedByte();
                    int digit = Character.digit(c, 16);
                    if (digit >= 0) {
                        chunkSize = (chunkSize < 0 ? 0 : chunkSize) * 16 + digit;
                        if (chunkSize > Integer.MAX_VALUE) {
                            fail(ctx, "HTTP chunk size over 2 GB");
                        }
                    } else if (c == '\n' || c == ';' || c == '\r') {
                        if (chunkSize < 0) {
                            fail(ctx, "HTTP chunk size line without digits");
                        } else if (chunkSize == 0) {
                            fail(ctx, "HTTP-FLV response ended");
                        } else {
                            chunkLeft = (int) chunkSize;
                            chunkSize = -1;
                            chunkState = c == '\n' ? 1 : 3;
                        }
                    } else {
                        fail(ctx, "bad character " + c + " in HTTP chunk size");
                    }
                }
                case 3 -> {
                    if (in.readUnsignedByte() == '\n') {
                        chunkState = 1;
                    }
                }
                case 1 -> {
                    int n = Math.min(chunkLeft, in.readableBytes());
                    flv(ctx, in, n);
                    chunkLeft -= n;
                    if (chunkLeft == 0) {
                        chunkState = 2;
                        chunkLeft = 2;
                    }
                }
                default -> {   // CRLF after the data
                    in.skipBytes(1);
                    if (--chunkLeft == 0) {
                        chunkState = 0;
                    }
                }
            }
        }
    }

    /** Parses {@code n} bytes of FLV from {@code in}, consuming them. */
    private void flv(ChannelHandlerContext ctx, ByteBuf in, int n) {
        int end = in.readerIndex() + n;
        while (in.readerIndex() < end && !failed) {
            switch (body) {
                case PREAMBLE, PREVIOUS_SIZE -> {
                    int k = Math.min(left, end - in.readerIndex());
                    if (body == Body.PREAMBLE && left == FLV_PREAMBLE && in.getByte(in.readerIndex()) != 'F') {
                        fail(ctx, "body does not start with an FLV header");
                        return;
                    }
                    in.skipBytes(k);
                    left -= k;
                    if (left == 0) {
                        body = Body.TAG_HEADER;
                        headerPos = 0;
                    }
                }
                case TAG_HEADER -> {
                    int c = in.readUnsignedByte();
                    switch (headerPos) {
                        case 0 -> {
                            tagType = c & 0x1F;
                            tagSize = 0;
                            tagTime = 0;
                        }
                        case 1, 2, 3 -> tagSize = (tagSize << 8) | c;
                        case 4, 5, 6 -> tagTime = (tagTime << 8) | c;
                        case 7 -> tagTime |= ((long) c) << 24;
                        default -> {
                        }
                    }
                    if (++headerPos == TAG_HEADER) {
                        body = Body.TAG_BODY;
                        left = tagSize;
                        b0 = -1;
                        b1 = -1;
                        if (left == 0) {
                            tag();
                        }
                    }
                }
                case TAG_BODY -> {
                    int k = Math.min(left, end - in.readerIndex());
                    int offset = tagSize - left;
                    if (tagType == 9 && offset < 2) {
                        int r = in.readerIndex();
                        if (offset == 0) {
                            b0 = in.getUnsignedByte(r);
                            if (k > 1) {
                                b1 = in.getUnsignedByte(r + 1);
                            }
                        } else {
                            b1 = in.getUnsignedByte(r);
                        }
                    }
                    in.skipBytes(k);
                    left -= k;
                    if (left == 0) {
                        tag();
                    }
                }
            }
        }
    }

    private void tag() {
        stats.message(tagType, tagTime, b0, b1);
        body = Body.PREVIOUS_SIZE;
        left = 4;
    }

    private void fail(ChannelHandlerContext ctx, String reason) {
        failed = true;
        stats.fail(reason);
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (!LoadTool.stopping && !failed) {
            stats.fail("connection closed by the server");
        }
        stats.closed = true;
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        failed = true;
        stats.fail(cause.toString());
        ctx.close();
    }
}
