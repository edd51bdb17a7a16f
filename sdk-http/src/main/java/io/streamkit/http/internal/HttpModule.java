package io.streamkit.http.internal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.streamkit.engine.StreamEngine;
import io.streamkit.http.HttpConfig;
import io.streamkit.http.spi.HttpMount;
import io.streamkit.http.spi.HttpMounts;
import io.streamkit.server.internal.ClientRegistry;
import io.streamkit.server.internal.ServerGuard;
import io.streamkit.server.spi.ModuleContext;
import io.streamkit.server.spi.ProtocolModule;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The HTTP port as a module: the listeners ({@code "http"}, and {@code "https"} with TLS), the
 * router with its checks, the server's own routes (the JSON API, the metrics, the
 * application's routes), and the {@link HttpMounts} service other modules mount on.
 */
public final class HttpModule implements ProtocolModule {
    private final HttpConfig config;
    private final List<HttpMount> mounts = new CopyOnWriteArrayList<>();

    /**
     * Creates the module.
     *
     * @param config the port's settings
     */
    public HttpModule(HttpConfig config) {
        this.config = config;
    }

    @Override
    public String name() {
        return "http";
    }

    @Override
    public void start(ModuleContext context) throws Exception {
        ClientRegistry clients = context.service(ClientRegistry.class).orElseThrow();
        ServerGuard guard = context.service(ServerGuard.class).orElseThrow();
        context.provide(HttpMounts.class, mounts::add);
        HttpServerInitializer plain = new HttpServerInitializer(config, mounts,
                routes(context.engine(), clients, config, guard,
                        context.service(io.streamkit.server.internal.ModuleMetrics.class).orElse(null)), guard);
        context.listen("http", new InetSocketAddress(config.bindAddress(), config.port()), plain);
        if (config.tls() != null) {
            context.listen("https", new InetSocketAddress(config.bindAddress(), config.tls().port()), plain.withTls());
        }
    }

    /** A route whose every call needs the API token when the configuration says reads need it. */
    private static HttpRouter.Route guarded(HttpConfig http, ApiRoute token, HttpRouter.Route route) {
        if (!http.tokenForReads()) {
            return route;
        }
        return (ctx, request, path, query) -> {
            FullHttpResponse refused = token.refuse(request);
            return refused != null ? CompletableFuture.completedFuture(refused) : route.handle(ctx, request, path, query);
        };
    }

    /** The port's own routes, longest prefix first so that nested prefixes resolve to the closest. */
    private static Map<String, HttpRouter.Route> routes(StreamEngine engine, ClientRegistry clients, HttpConfig http,
                                                        ServerGuard guard, io.streamkit.server.internal.ModuleMetrics modules) {
        List<Map.Entry<String, HttpRouter.Route>> all = new ArrayList<>();
        ApiRoute api = new ApiRoute(engine, clients, http.apiToken());
        if (http.api()) {
            all.add(Map.entry("/api", guarded(http, api, api)));
        }
        if (http.metrics()) {
            all.add(Map.entry("/metrics", guarded(http, api, new MetricsRoute(engine, clients, guard, modules))));
        }
        http.routes().forEach((prefix, route) -> all.add(Map.entry(prefix, new AppRoute(route))));
        all.sort(Comparator.comparingInt((Map.Entry<String, HttpRouter.Route> e) -> e.getKey().length()).reversed());
        Map<String, HttpRouter.Route> routes = new LinkedHashMap<>();
        for (Map.Entry<String, HttpRouter.Route> e : all) {
            routes.put(e.getKey(), e.getValue());
        }
        return routes;
    }
}
