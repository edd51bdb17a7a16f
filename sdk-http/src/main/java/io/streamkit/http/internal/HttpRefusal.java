package io.streamkit.http.internal;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * A client's request refused before it reached the router, with the status to answer: a body
 * over {@code maxContentLength}, or input over the connection's share of the memory budget.
 * Fired down the pipeline as an exception; the router answers it and closes. Carries no stack
 * trace: it is a client's mistake, not a fault of the server.
 */
final class HttpRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient HttpResponseStatus status;

    /**
     * @param status what to answer, {@code 413} for both kinds
     * @param reason the value and the limit it passed
     */
    HttpRefusal(HttpResponseStatus status, String reason) {
        super(reason, null, false, false);
        this.status = status;
    }

    /** @return the status to answer */
    HttpResponseStatus status() {
        return status;
    }
}
