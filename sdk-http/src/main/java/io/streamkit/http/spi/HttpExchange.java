package io.streamkit.http.spi;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * One request handed to an {@link HttpMount}, and the ways to answer it.
 *
 * <p>Threading: the mount is called on the connection's event loop. {@link #respond},
 * {@link #stream} and {@link #refuse} are called from {@link HttpMount#serve} itself (the stage
 * given to {@code respond} may complete later, on any thread); {@link #decorate}, {@link #fail}
 * and {@link #handled} may also be called later, on the event loop.
 * The request is the router's: valid until {@link HttpMount#serve} returns, released after.
 */
public interface HttpExchange {

    /**
     * Returns the connection's handler context (the router's), for writing a streamed response.
     *
     * @return the context
     */
    ChannelHandlerContext context();

    /**
     * Returns the request, whole and checked.
     *
     * @return the request; keep nothing of it past {@link HttpMount#serve}
     */
    FullHttpRequest request();

    /**
     * Returns the decoded, checked path.
     *
     * @return the path, starting with a slash
     */
    String path();

    /**
     * Returns the query parameters, the first value of each, at most 32.
     *
     * @return the parameters
     */
    Map<String, String> query();

    /**
     * Returns the client's address: the one a PROXY protocol header named, else the socket's peer.
     *
     * @return the address, or {@code null} when it is not an IP address
     */
    InetSocketAddress client();

    /**
     * Tells whether the request is a WebSocket upgrade, already checked to be a valid one.
     *
     * @return whether the mount should answer with a handshake
     */
    boolean webSocket();

    /**
     * Answers with a whole response, now or later from any thread. The router adds the port's
     * headers (CORS, caching, {@code Connection}) and the length, writes it on the event loop
     * in the order of pipelined requests, and owns it from completion; a failed stage is
     * answered 500 with a log line.
     *
     * @param response the answer
     */
    void respond(CompletionStage<FullHttpResponse> response);

    /**
     * Takes the connection over for a streamed answer (a live stream, a WebSocket): the router's
     * request deadline stops, requests pipelined behind this one are ignored, and the connection
     * is under the idle rule only. The mount writes the response head (after
     * {@link #decorate}) and body itself.
     */
    void stream();

    /**
     * Adds the headers every response of the port carries (CORS, no caching, and
     * {@code Connection: close} when the connection ends after it) to a head the mount writes
     * itself.
     *
     * @param head the response head
     * @param whole whether the response is complete (a {@code HEAD} answer) rather than the head of a stream
     */
    void decorate(HttpResponse head, boolean whole);

    /**
     * Refuses a request as the client's mistake (a malformed stream name, say): one
     * rate-limited log line with the client's address, the status with a text body naming the
     * reason, and the connection reads nothing more and closes after it.
     *
     * @param status the status
     * @param reason the reason, shown to the client and in the log line
     */
    void refuse(HttpResponseStatus status, String reason);

    /**
     * Answers an error status with a text body naming the reason, and closes the connection
     * after it; for a decision the mount made, such as a denied auth check, which is logged
     * where it was made.
     *
     * @param status the status
     * @param reason the reason, shown to the client
     */
    void fail(HttpResponseStatus status, String reason);

    /**
     * Gives bytes back to the connection's share of the memory budget once a message the mount
     * read (an inbound WebSocket frame) is handled.
     *
     * @param bytes the bytes handled
     */
    void handled(long bytes);

    /**
     * Checks the request as the port's JSON API checks its calls, for a mount that offers API
     * calls of its own: a call that changes state needs {@code Authorization: Bearer <apiToken>},
     * a read needs it when the port's configuration says reads do. When the check fails the
     * request is answered (401 with {@code WWW-Authenticate}, or 403 when no token is
     * configured) and the mount answers nothing more.
     *
     * @param mutating whether the call changes state
     * @return whether the call may go on
     */
    boolean authorizeApiCall(boolean mutating);
}
