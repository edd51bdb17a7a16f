package io.streamkit.cluster;

/** What a relay of {@link Relays#list()} is. */
public enum RelayKind {
    /** A push made by a forwarding rule when a matching stream was published; it ends with the stream. */
    FORWARD,
    /** A push added at runtime ({@link Relays#push}, {@code POST /api/relays/push/...}); it lasts until removed. */
    PUSH,
    /** A static pull ({@link RelayConfig.Builder#pull}, {@link Relays#pull}); it reconnects until removed. */
    PULL,
    /** A pull started by the first player of a missing stream; it stops after the last player leaves. */
    ON_DEMAND
}
