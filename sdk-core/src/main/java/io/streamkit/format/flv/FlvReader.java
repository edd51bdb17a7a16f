package io.streamkit.format.flv;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.streamkit.codec.MediaFormatException;
import java.util.Objects;

/**
 * Reads an FLV byte stream (a file, an HTTP-FLV response) incrementally: feed it buffers
 * as they arrive, take tags out as they complete.
 *
 * <pre>{@code
 * reader.feed(bytes);                       // takes ownership of bytes
 * for (FlvTag tag; (tag = reader.next()) != null; ) {
 *     try { handle(tag); } finally { tag.release(); }
 * }
 * }</pre>
 *
 * <p><b>Limits.</b>
 * <table>
 * <caption>What the reader bounds</caption>
 * <tr><th>what</th><th>limit</th><th>on excess</th></tr>
 * <tr><td>tag body (DataSize)</td><td>the {@code maxTagSize} given, by default
 *     {@value #DEFAULT_MAX_TAG_SIZE} bytes</td><td>{@link MediaFormatException}</td></tr>
 * <tr><td>header DataOffset</td><td>{@value FlvHeader#MAX_DATA_OFFSET} bytes</td>
 *     <td>{@link MediaFormatException}</td></tr>
 * <tr><td>bytes buffered</td><td>one tag header and body, plus what the last feed brought
 *     beyond it</td><td>(none: the tag limit bounds it)</td></tr>
 * <tr><td>memory held</td><td>what was fed and not yet returned, never a size a header
 *     announced</td><td>(none: a peer pins only the bytes it sent)</td></tr>
 * </table>
 * A bad header, an encrypted tag (Filter bit) or an oversized tag moves the reader to a
 * failed state: it releases what it buffered and every later {@link #next()} throws.
 * Truncated input is not an error: {@link #next()} returns {@code null} until more bytes
 * arrive, and {@link #bufferedBytes()} tells, at the end of the input, whether a tag was cut.
 * PreviousTagSize back pointers are skipped unchecked: writers disagree on them and a
 * forward reader does not need them.
 *
 * <p><b>Buffers.</b> A tag that lies within one fed buffer is returned as a retained slice
 * of it, without a copy. A tag split across feeds is gathered into a buffer from the
 * allocator, copying its bytes once more each time the buffer grows (as Netty's cumulating
 * decoders do), so memory follows the bytes received, not the DataSize a header claims.
 *
 * <p><b>Threads.</b> Not thread-safe: one thread (an event loop) feeds and reads. Call
 * {@link #close()} to release what is buffered.
 *
 * @see <a href="https://veovera.org/docs/legacy/video-file-format-v10-1-spec.pdf">FLV v10.1 Annex E.3 The FLV File Body</a>
 */
public final class FlvReader implements AutoCloseable {

    /**
     * Default largest tag body: a keyframe of a high-bitrate 4K stream is a few MiB, so 8
     * MiB leaves room while bounding what one hostile tag makes the reader buffer.
     */
    public static final int DEFAULT_MAX_TAG_SIZE = 8 << 20;

    private enum State { FILE_HEADER, SKIP_HEADER, BACK_POINTER, TAG, FAILED, CLOSED }

    private final ByteBufAllocator alloc;
    private final int maxTagSize;
    private final FlvTagHeader tagHeader = new FlvTagHeader();
    private State state = State.FILE_HEADER;
    private ByteBuf cumulation;
    private boolean owned;
    private long skip;
    private FlvHeader header;
    private MediaFormatException failure;

    /**
     * Creates a reader that expects an FLV file header first.
     *
     * @param alloc where to gather tags that arrive split across feeds
     * @param maxTagSize the largest tag body accepted, 1 to {@link FlvTagHeader#MAX_DATA_SIZE};
     *     {@link #DEFAULT_MAX_TAG_SIZE} suits live streams
     * @throws IllegalArgumentException when {@code maxTagSize} is out of range
     */
    public FlvReader(ByteBufAllocator alloc, int maxTagSize) {
        this.alloc = Objects.requireNonNull(alloc, "alloc");
        if (maxTagSize < 1 || maxTagSize > FlvTagHeader.MAX_DATA_SIZE) {
            throw new IllegalArgumentException("maxTagSize " + maxTagSize + " is outside 1 to "
                    + FlvTagHeader.MAX_DATA_SIZE);
        }
        this.maxTagSize = maxTagSize;
    }

    /**
     * Adds bytes to read.
     *
     * @param data the next bytes of the stream; ownership passes to the reader, even when it throws
     * @throws IllegalStateException when the reader has failed or is closed
     */
    public void feed(ByteBuf data) {
        Objects.requireNonNull(data, "data");
        if (state == State.FAILED || state == State.CLOSED) {
            data.release();
            throw new IllegalStateException("FLV reader is " + state.name().toLowerCase(java.util.Locale.ROOT)
                    + (failure != null ? ": " + failure.getMessage() : ""));
        }
        if (cumulation == null || !cumulation.isReadable()) {
            if (cumulation != null) {
                cumulation.release();
            }
            cumulation = data;
            owned = false;
            return;
        }
        int incoming = data.readableBytes();
        if (owned && cumulation.refCnt() == 1) {
            cumulation.discardSomeReadBytes();
            if (cumulation.maxWritableBytes() >= incoming) {
                cumulation.writeBytes(data);
                data.release();
                return;
            }
        }
        // Sized by what arrived, never by the DataSize a tag header announced: a header and a byte
        // pin no more than they are. Later feeds grow the buffer as the tag's bytes come.
        ByteBuf merged = alloc.buffer(cumulation.readableBytes() + incoming);
        try {
            merged.writeBytes(cumulation).writeBytes(data);
        } catch (RuntimeException e) {
            merged.release();
            data.release();
            throw e;
        }
        cumulation.release();
        data.release();
        cumulation = merged;
        owned = true;
    }

    /**
     * Returns the next complete tag, or {@code null} when more bytes are needed.
     *
     * @return a tag the caller owns and must release, or {@code null}
     * @throws MediaFormatException when the stream is malformed or a tag exceeds the limit;
     *     the reader has then failed and every later call throws again
     * @throws IllegalStateException when the reader is closed
     */
    public FlvTag next() {
        if (state == State.FAILED) {
            throw new MediaFormatException("FLV reader failed earlier: " + failure.getMessage(), failure);
        }
        if (state == State.CLOSED) {
            throw new IllegalStateException("FLV reader is closed");
        }
        try {
            return advance();
        } catch (MediaFormatException e) {
            fail(e);
            throw e;
        }
    }

    private FlvTag advance() {
        while (cumulation != null) {
            int readable = cumulation.readableBytes();
            switch (state) {
                case FILE_HEADER -> {
                    if (readable < FlvHeader.SIZE) {
                        return waitFor(FlvHeader.SIZE);
                    }
                    header = FlvHeader.parse(cumulation);
                    cumulation.skipBytes(FlvHeader.SIZE);
                    skip = header.dataOffset() - FlvHeader.SIZE;
                    state = State.SKIP_HEADER;
                }
                case SKIP_HEADER -> {
                    int n = (int) Math.min(readable, skip);
                    cumulation.skipBytes(n);
                    skip -= n;
                    if (skip > 0) {
                        return waitFor(0);
                    }
                    state = State.BACK_POINTER;
                }
                case BACK_POINTER -> {
                    if (readable < FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH) {
                        return waitFor(FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH);
                    }
                    cumulation.skipBytes(FlvTagHeader.PREVIOUS_TAG_SIZE_LENGTH);
                    state = State.TAG;
                }
                case TAG -> {
                    if (readable < FlvTagHeader.SIZE) {
                        return waitFor(FlvTagHeader.SIZE);
                    }
                    tagHeader.wrap(cumulation, cumulation.readerIndex());
                    if (tagHeader.filtered()) {
                        throw new MediaFormatException("FLV tag of type " + tagHeader.tagType()
                                + " is encrypted (Filter bit set), which Streamkit does not read");
                    }
                    int size = tagHeader.dataSize();
                    if (size > maxTagSize) {
                        throw new MediaFormatException("FLV tag of type " + tagHeader.tagType() + " DataSize "
                                + size + " exceeds the limit " + maxTagSize);
                    }
                    if (readable < FlvTagHeader.SIZE + size) {
                        return waitFor(FlvTagHeader.SIZE + size);
                    }
                    int type = tagHeader.tagType();
                    long timestamp = tagHeader.timestamp();
                    cumulation.skipBytes(FlvTagHeader.SIZE);
                    FlvTag tag = new FlvTag(type, timestamp, cumulation.readRetainedSlice(size));
                    state = State.BACK_POINTER;
                    return tag;
                }
                default -> throw new IllegalStateException("unreachable state " + state);
            }
        }
        return null;
    }

    /** Returns {@code null}: the next {@code bytes} are not all here yet. */
    private static FlvTag waitFor(int bytes) {
        return null;
    }

    private void fail(MediaFormatException e) {
        failure = e;
        state = State.FAILED;
        releaseCumulation();
    }

    /**
     * Returns the file header, once read.
     *
     * @return the header, or {@code null} before its {@value FlvHeader#SIZE} bytes have arrived
     */
    public FlvHeader header() {
        return header;
    }

    /**
     * Returns how many fed bytes have not yet been returned in a tag or skipped.
     *
     * @return bytes buffered; above 0 at the end of the input, the last tag was cut short
     *     (a missing final back pointer counts too)
     */
    public int bufferedBytes() {
        return cumulation == null ? 0 : cumulation.readableBytes();
    }

    /** Releases what is buffered; tags already returned stay valid until their owners release them. */
    @Override
    public void close() {
        releaseCumulation();
        if (state != State.FAILED) {
            state = State.CLOSED;
        }
    }

    private void releaseCumulation() {
        if (cumulation != null) {
            cumulation.release();
            cumulation = null;
        }
    }
}
