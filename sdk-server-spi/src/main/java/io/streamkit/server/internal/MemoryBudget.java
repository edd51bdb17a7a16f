package io.streamkit.server.internal;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server-wide budget of bytes that peers make the server hold before they are of use: the
 * parts of inbound messages that have arrived but are not complete yet (an RTMP message over
 * many chunks, an HTTP body, a WebSocket frame). Every such byte has been received; nothing is
 * reserved for a length a peer declares. The budget has three shares: the whole server's, one
 * client address's (all its connections together) and one connection's; a reservation that would
 * pass any of them is refused and the protocol closes that connection with one log line, so
 * one abusive client costs at most its shares and never the server's memory.
 *
 * <p>A connection the application has authorised to publish gets a guarantee
 * ({@link Account#guarantee}): a reservation that keeps it within that many bytes (one message in
 * progress) is not refused for the server's share, so attackers who fill the server's share
 * before anyone else cannot close a live publisher. They are still counted, so the server may
 * hold up to one guarantee per publisher beyond its limit; publishers are bounded by the
 * server's stream limit and its auth callback.
 *
 * <p>Thread-safe; an {@link Account} is confined to its connection's event loop. Its use is a
 * metric ({@code streamkit_memory_budget_bytes}).
 */
public final class MemoryBudget {
    private final long limit;
    private final long perAddress;
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong refusals = new AtomicLong();
    private final ConcurrentHashMap<InetAddress, Share> shares = new ConcurrentHashMap<>();

    /**
     * @param limit bytes held at once by every connection together
     * @param perAddress bytes held at once by the connections of one client address
     */
    public MemoryBudget(long limit, long perAddress) {
        if (limit < 1 || perAddress < 1) {
            throw new IllegalArgumentException("memory budget shares must be at least 1 byte");
        }
        this.limit = limit;
        this.perAddress = perAddress;
    }

    /**
     * An unlimited budget, for code paths that run without a server (tests, clients).
     *
     * @return a budget that refuses nothing
     */
    public static MemoryBudget unlimited() {
        return new MemoryBudget(Long.MAX_VALUE / 4, Long.MAX_VALUE / 4);
    }

    /**
     * Opens the account of one connection.
     *
     * @param address its client address, or {@code null} if it has none (an embedded channel)
     * @param perConnection bytes this connection may hold at once
     * @return the account, to close when the connection ends
     */
    public Account open(InetAddress address, long perConnection) {
        Share share = address == null ? new Share() : shares.compute(address, (a, s) -> {
            Share it = s == null ? new Share() : s;
            it.accounts++;
            return it;
        });
        return new Account(address, share, perConnection);
    }

    /** @return bytes held now */
    public long used() {
        return used.get();
    }

    /** @return the whole server's share */
    public long limit() {
        return limit;
    }

    /** @return the share of one client address */
    public long perAddress() {
        return perAddress;
    }

    /** @return reservations refused since the start, each of which closed a connection */
    public long refusals() {
        return refusals.get();
    }

    private static final class Share {
        final AtomicLong bytes = new AtomicLong();
        int accounts = 1;   // changed only inside compute
    }

    /** One connection's part of the budget. Confined to the connection's event loop. */
    public final class Account {
        private final InetAddress address;
        private final Share share;
        private final long perConnection;
        private long held;
        private long guaranteed;
        private boolean closed;
        private String refusal;

        private Account(InetAddress address, Share share, long perConnection) {
            this.address = address;
            this.share = share;
            this.perConnection = perConnection;
        }

        /**
         * Reserves bytes that have just been received and will be held.
         *
         * @param n bytes, at least 0
         * @return whether they fit every share; if not, nothing was reserved and
         *     {@link #refusal()} says which share was full
         */
        public boolean reserve(long n) {
            if (closed) {
                return false;
            }
            if (held + n > perConnection) {
                return refuse("the connection would hold " + (held + n) + " bytes of unfinished input, more than its share of "
                        + perConnection);
            }
            long address = share.bytes.addAndGet(n);
            if (address > perAddress) {
                share.bytes.addAndGet(-n);
                return refuse("connections from this address would hold " + address
                        + " bytes of unfinished input, more than its share of " + perAddress);
            }
            long all = used.addAndGet(n);
            if (all > limit && held + n > guaranteed) {
                used.addAndGet(-n);
                share.bytes.addAndGet(-n);
                return refuse("the server would hold " + all + " bytes of unfinished input, more than its memory budget of "
                        + limit);
            }
            held += n;
            return true;
        }

        /**
         * Lets this connection hold up to {@code bytes} whatever the server's share holds: for
         * a publisher the application authorised, whose message in progress must not be refused
         * because others filled the server's share. Its address's and its own shares still apply.
         *
         * @param bytes the guarantee, at least 0
         */
        public void guarantee(long bytes) {
            guaranteed = Math.max(0, bytes);
        }

        private boolean refuse(String why) {
            refusals.incrementAndGet();
            refusal = why;
            return false;
        }

        /**
         * Gives back bytes reserved before (a message completed or was dropped).
         *
         * @param n bytes, at most what is held
         */
        public void release(long n) {
            long r = Math.min(n, held);
            if (r <= 0) {
                return;
            }
            held -= r;
            share.bytes.addAndGet(-r);
            used.addAndGet(-r);
        }

        /** @return bytes this connection holds now */
        public long held() {
            return held;
        }

        /** @return why the last reservation was refused, or {@code null} */
        public String refusal() {
            return refusal;
        }

        /** Releases everything and leaves the address's share; later reservations fail. Idempotent. */
        public void close() {
            if (closed) {
                return;
            }
            release(held);
            closed = true;
            if (address != null) {
                shares.computeIfPresent(address, (a, s) -> --s.accounts == 0 ? null : s);
            }
        }
    }
}
