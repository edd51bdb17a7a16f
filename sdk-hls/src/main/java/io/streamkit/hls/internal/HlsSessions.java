package io.streamkit.hls.internal;

import io.streamkit.hook.PlayEvent;
import io.streamkit.hook.ServerListener;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.stream.EndReason;
import io.streamkit.stream.StreamKey;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * HLS viewers' sessions: one per viewer whose playlist request was authorised, named in its URLs
 * by a signed token ({@code hs={id}-{signature}}), checked on every reload and segment request,
 * ended by idleness, a kick or the server's close.
 *
 * <p>Each session is a client in the registry (announced {@code onConnect}/{@code onDisconnect}) and
 * one play to the listeners ({@code onPlay} when it opens, {@code onStop} when it ends), in that
 * order. The token binds the session's id to its stream under a per-server secret, so a token
 * cannot be forged or moved to another stream; the table decides whether it is still live.
 *
 * <p>Thread-safe: requests on any event loop, the sweep on one.
 */
final class HlsSessions {
    /** The longest token parsed: an id of up to 19 digits, a dash, 22 characters of signature. */
    private static final int MAX_TOKEN_CHARS = 64;

    private final byte[] secret;
    private final ClientRegistry clients;
    private final ServerListener announcer;
    private final long timeoutNanos;
    private final int max;
    private final int maxPerAddress;
    /** Open sessions per client address, for {@code maxPerAddress}. */
    private final Map<java.net.InetAddress, Integer> perAddress = new ConcurrentHashMap<>();
    private final LongSupplier nanoTime;
    private final Map<Long, Session> sessions = new ConcurrentHashMap<>();

    /** A viewer's session. {@code lastSeen} is updated by every request. */
    static final class Session {
        final long id;
        final StreamKey key;
        final String token;
        final InetSocketAddress remote;
        final Map<String, String> attributes;
        final Map<String, String> query;
        volatile long lastSeen;
        volatile boolean ended;
        ClientRegistry.Entry client;

        Session(long id, StreamKey key, String token, InetSocketAddress remote, Map<String, String> attributes,
                Map<String, String> query, long now) {
            this.id = id;
            this.key = key;
            this.token = token;
            this.remote = remote;
            this.attributes = attributes;
            this.query = query;
            this.lastSeen = now;
        }
    }

    /**
     * Creates the table.
     *
     * @param secret the HMAC key of the tokens
     * @param clients where sessions are listed as clients, or {@code null} for none (tests)
     * @param announcer the listeners that hear sessions' plays and stops
     * @param timeoutNanos how long a session lives without a request
     * @param max sessions kept at once
     * @param maxPerAddress sessions of one client address at once
     * @param nanoTime the clock
     */
    HlsSessions(byte[] secret, ClientRegistry clients, ServerListener announcer, long timeoutNanos, int max,
                int maxPerAddress, LongSupplier nanoTime) {
        this.secret = secret;
        this.clients = clients;
        this.announcer = announcer;
        this.timeoutNanos = timeoutNanos;
        this.max = max;
        this.maxPerAddress = maxPerAddress;
        this.nanoTime = nanoTime;
    }

    /**
     * Opens a session for an authorised viewer, registers it and announces its play.
     *
     * @param id the id its auth request carried
     * @param key the stream
     * @param remote the viewer's address
     * @param attributes the decision's attributes
     * @param query the playlist request's query
     * @return the session, or {@code null} when {@code max} sessions, or {@code maxPerAddress} of
     *     this address, are open
     */
    Session open(long id, StreamKey key, InetSocketAddress remote, Map<String, String> attributes,
                 Map<String, String> query) {
        if (sessions.size() >= max || !admit(remote)) {
            return null;
        }
        Session session = new Session(id, key, id + "-" + sign(id, key), remote, attributes, query, nanoTime.getAsLong());
        sessions.put(id, session);
        if (clients != null) {
            session.client = clients.register(id, "hls", remote, () -> end(session, EndReason.KICKED));
            session.client.role(ClientRegistry.Role.PLAY, key);
        }
        announcer.onPlay(new PlayEvent(key, id, "hls", remote, null, id, attributes, query));
        return session;
    }

    /**
     * Finds the live session a request names and notes the request.
     *
     * @param key the requested stream
     * @param token the request's {@code hs} parameter
     * @return the session, or {@code null} with the reason in {@code why[0]}
     */
    Session check(StreamKey key, String token, String[] why) {
        if (token == null || token.isEmpty()) {
            why[0] = "not part of a viewer's session; open the stream's playlist URL";
            return null;
        }
        int dash = token.indexOf('-');
        long id;
        try {
            if (token.length() > MAX_TOKEN_CHARS || dash <= 0) {
                throw new NumberFormatException();
            }
            id = Long.parseLong(token.substring(0, dash));
        } catch (NumberFormatException e) {
            why[0] = "session token is malformed";
            return null;
        }
        if (!MessageDigest.isEqual(sign(id, key).getBytes(StandardCharsets.US_ASCII),
                token.substring(dash + 1).getBytes(StandardCharsets.US_ASCII))) {
            why[0] = "session token does not match " + key;
            return null;
        }
        Session session = sessions.get(id);
        if (session == null || session.ended) {
            why[0] = "session ended; open the stream's playlist URL again";
            return null;
        }
        session.lastSeen = nanoTime.getAsLong();
        return session;
    }

    /** Ends the sessions idle past the timeout; called every second. */
    void sweep() {
        long now = nanoTime.getAsLong();
        for (Session s : sessions.values()) {
            if (now - s.lastSeen > timeoutNanos) {
                end(s, EndReason.CANCELLED);
            }
        }
    }

    /** Ends every session: the server stops. */
    void closeAll() {
        for (Session s : sessions.values()) {
            end(s, EndReason.SHUTDOWN);
        }
    }

    /** How many sessions are open. */
    int size() {
        return sessions.size();
    }

    /** Ends a session once: its stop is announced, then its client leaves the registry. */
    private void end(Session session, EndReason reason) {
        synchronized (session) {
            if (session.ended) {
                return;
            }
            session.ended = true;
        }
        sessions.remove(session.id, session);
        release(session.remote);
        announcer.onStop(new PlayEvent(session.key, session.id, "hls", session.remote, reason, session.id,
                session.attributes, session.query));
        if (session.client != null) {
            session.client.unregister();
        }
    }

    /** Counts a new session of an address unless it holds {@code maxPerAddress}; atomic per address. */
    private boolean admit(InetSocketAddress remote) {
        if (remote == null || remote.getAddress() == null) {
            return true;
        }
        boolean[] admitted = {false};
        perAddress.compute(remote.getAddress(), (a, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxPerAddress) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    private void release(InetSocketAddress remote) {
        if (remote != null && remote.getAddress() != null) {
            perAddress.compute(remote.getAddress(), (a, n) -> n == null || n <= 1 ? null : n - 1);
        }
    }

    private String sign(long id, StreamKey key) {
        byte[] digest = HlsSegmentSigner.hmac(secret, "hls-session|" + key.path() + "|" + id);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(digest, 16));
    }
}
