package io.streamkit.rtsp.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.ScheduledFuture;
import io.streamkit.rtsp.RtspProtocolException;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Splits an RTSP connection's bytes into whole requests, passed on as buffers to Netty's
 * {@code RtspDecoder}, and interleaved frames ({@link InterleavedFrame}, RFC 2326 10.12), which
 * the decoder passes by: a request is only handed on once its headers and its body
 * ({@code Content-Length}) are all here, so the decoder never holds part of one when a frame
 * follows. Line breaks between messages are skipped.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>limit</th><th>value</th><th>on breach</th></tr>
 *   <tr><td>request line and headers</td><td>{@code maxRequestSize}</td><td>{@link RtspProtocolException}: the connection closes</td></tr>
 *   <tr><td>body ({@code Content-Length})</td><td>{@code maxContentLength}</td><td>the same</td></tr>
 *   <tr><td>interleaved frame</td><td>65,535 bytes, what its length field can say</td><td>(cannot be exceeded)</td></tr>
 *   <tr><td>time from a request's first byte to its last</td><td>{@code requestTimeout}</td><td>the connection closes</td></tr>
 * </table>
 */
final class RtspDemuxer extends ByteToMessageDecoder {
    private static final int NOT_FOUND = -1;

    private final int maxRequestSize;
    private final int maxContentLength;
    private final long requestTimeoutNanos;
    private ScheduledFuture<?> partial;   // closes the connection when a started request does not end in time
    private int scanned;   // bytes of the pending request's head already searched for its end
    private boolean failed;   // after a refusal, what else comes is dropped while the connection closes

    RtspDemuxer(int maxRequestSize, int maxContentLength, long requestTimeoutNanos) {
        this.maxRequestSize = maxRequestSize;
        this.maxContentLength = maxContentLength;
        this.requestTimeoutNanos = requestTimeoutNanos;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        try {
            split(ctx, in, out);
        } catch (RtspProtocolException e) {
            failed = true;
            in.skipBytes(in.readableBytes());
            throw e;
        }
    }

    private void split(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int first = in.getUnsignedByte(in.readerIndex());
            if (first == '\r' || first == '\n') {
                in.skipBytes(1);
                continue;
            }
            if (first == '$') {
                if (in.readableBytes() < InterleavedFrame.HEADER_SIZE) {
                    break;
                }
                int length = in.getUnsignedShort(in.readerIndex() + 2);
                if (in.readableBytes() < InterleavedFrame.HEADER_SIZE + length) {
                    break;
                }
                int channel = in.getUnsignedByte(in.readerIndex() + 1);
                in.skipBytes(InterleavedFrame.HEADER_SIZE);
                out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                continue;
            }
            int request = request(in);
            if (request == NOT_FOUND) {
                break;
            }
            out.add(in.readRetainedSlice(request));
            scanned = 0;
        }
        if (in.isReadable()) {
            if (partial == null) {
                partial = ctx.executor().schedule(() -> timedOut(ctx), requestTimeoutNanos, TimeUnit.NANOSECONDS);
            }
        } else if (partial != null) {
            partial.cancel(false);
            partial = null;
        }
    }

    private void timedOut(ChannelHandlerContext ctx) {
        partial = null;
        failed = true;
        ctx.fireExceptionCaught(new RtspProtocolException("request not complete within "
                + TimeUnit.NANOSECONDS.toMillis(requestTimeoutNanos) + " ms"));
    }

    /** The length of the whole request at the reader index, or {@link #NOT_FOUND} while it is incomplete. */
    private int request(ByteBuf in) {
        int start = in.readerIndex();
        int end = in.writerIndex();
        int from = Math.max(start, start + scanned - 3);
        int headEnd = NOT_FOUND;
        for (int i = from; i < end; i++) {
            if (in.getByte(i) == '\n') {
                if (i + 1 < end && in.getByte(i + 1) == '\n') {
                    headEnd = i + 2;
                    break;
                }
                if (i + 2 < end && in.getByte(i + 1) == '\r' && in.getByte(i + 2) == '\n') {
                    headEnd = i + 3;
                    break;
                }
            }
        }
        if (headEnd == NOT_FOUND) {
            scanned = end - start;
            if (scanned > maxRequestSize) {
                throw new RtspProtocolException("request head over " + maxRequestSize + " bytes");
            }
            return NOT_FOUND;
        }
        int headLength = headEnd - start;
        if (headLength > maxRequestSize) {
            throw new RtspProtocolException("request head of " + headLength + " bytes, over " + maxRequestSize);
        }
        long body = contentLength(in, start, headEnd);
        if (body > maxContentLength) {
            throw new RtspProtocolException("request body of " + body + " bytes, over " + maxContentLength);
        }
        if (end - headEnd < body) {
            scanned = headLength;
            return NOT_FOUND;
        }
        return headLength + (int) body;
    }

    /** The value of a {@code Content-Length} header in the head, 0 when there is none. */
    private static long contentLength(ByteBuf in, int start, int end) {
        int line = start;
        while (line < end) {
            int next = line;
            while (next < end && in.getByte(next) != '\n') {
                next++;
            }
            if (startsWithIgnoreCase(in, line, next, "content-length:")) {
                int i = line + "content-length:".length();
                while (i < next && (in.getByte(i) == ' ' || in.getByte(i) == '\t')) {
                    i++;
                }
                long value = 0;
                int digits = 0;
                for (; i < next && in.getByte(i) >= '0' && in.getByte(i) <= '9'; i++, digits++) {
                    value = value * 10 + (in.getByte(i) - '0');
                    if (value > Integer.MAX_VALUE) {
                        throw new RtspProtocolException("Content-Length over " + Integer.MAX_VALUE);
                    }
                }
                while (i < next && (in.getByte(i) == ' ' || in.getByte(i) == '\t' || in.getByte(i) == '\r')) {
                    i++;
                }
                if (digits == 0 || i != next) {
                    throw new RtspProtocolException("Content-Length is not a number");
                }
                return value;
            }
            line = next + 1;
        }
        return 0;
    }

    private static boolean startsWithIgnoreCase(ByteBuf in, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) in.getByte(from + i)) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void handlerRemoved0(ChannelHandlerContext ctx) {
        if (partial != null) {
            partial.cancel(false);
            partial = null;
        }
    }
}
