package io.streamkit.httpflv.internal;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.ssl.SslContext;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A tiny HTTP-FLV origin on loopback for the puller's tests: answers every {@code GET} with one
 * scripted answer, its body written in pieces of a given size, each flushed, and remembers the
 * requests it got.
 */
final class FlvOrigin implements AutoCloseable {
    /** How a {@code 200} body ends. */
    enum Ending {
        /** Chunked, with the last chunk. */
        LAST_CHUNK,
        /** Neither sized nor chunked: the origin closes the connection. */
        CLOSE,
        /** Chunked, never ended: the connection stays open and silent. */
        HOLD
    }

    /** What the origin answers. */
    record Answer(int status, byte[] body, int piece, Ending ending) {
    }

    /** One request as received: its line and its headers, names in lower case. */
    record Request(String line, Map<String, String> headers) {
    }

    final List<Request> requests = new CopyOnWriteArrayList<>();
    private final List<Channel> connections = new CopyOnWriteArrayList<>();
    private final Channel server;
    private final Answer answer;

    /**
     * Starts listening on a free loopback port.
     *
     * @param group the loops of the server and its connections
     * @param tls a server TLS context for {@code https://}, or {@code null}
     * @param answer what every request gets
     */
    FlvOrigin(EventLoopGroup group, SslContext tls, Answer answer) throws InterruptedException {
        this.answer = answer;
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        connections.add(ch);
                        if (tls != null) {
                            ch.pipeline().addLast(tls.newHandler(ch.alloc()));
                        }
                        ch.pipeline().addLast(new HttpServerCodec(), new Responder());
                    }
                })
                .bind(new InetSocketAddress("127.0.0.1", 0)).sync().channel();
    }

    int port() {
        return ((InetSocketAddress) server.localAddress()).getPort();
    }

    /** Closes the listener and every connection. */
    @Override
    public void close() {
        server.close().syncUninterruptibly();
        for (Channel c : connections) {
            c.close().syncUninterruptibly();
        }
    }

    private final class Responder extends SimpleChannelInboundHandler<HttpObject> {
        /** A client that refuses the certificate, or resets: the origin just closes, as a real one would. */
        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, HttpObject msg) {
            if (!(msg instanceof HttpRequest request)) {
                return;
            }
            Map<String, String> headers = new TreeMap<>();
            request.headers().forEach(e -> headers.put(e.getKey().toLowerCase(java.util.Locale.ROOT), e.getValue()));
            requests.add(new Request(request.method() + " " + request.uri() + " " + request.protocolVersion(), headers));
            if (answer.status() != 200) {
                FullHttpResponse refusal = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                        HttpResponseStatus.valueOf(answer.status()),
                        Unpooled.copiedBuffer("no such stream", StandardCharsets.US_ASCII));
                refusal.headers().set(HttpHeaderNames.CONTENT_LENGTH, refusal.content().readableBytes());
                ctx.writeAndFlush(refusal).addListener(ChannelFutureListener.CLOSE);
                return;
            }
            HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head.headers().set(HttpHeaderNames.CONTENT_TYPE, "video/x-flv");
            if (answer.ending() == Ending.CLOSE) {
                head.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            } else {
                head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            }
            ctx.writeAndFlush(head);
            byte[] body = answer.body();
            for (int at = 0; at < body.length; at += answer.piece()) {
                int n = Math.min(answer.piece(), body.length - at);
                ctx.writeAndFlush(new DefaultHttpContent(Unpooled.wrappedBuffer(body, at, n)));
            }
            switch (answer.ending()) {
                case LAST_CHUNK -> ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
                case CLOSE -> ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT).addListener(ChannelFutureListener.CLOSE);
                case HOLD -> {
                    // the body never ends
                }
            }
        }
    }
}
