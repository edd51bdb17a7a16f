package io.streamkit.webhook;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A hook backend on the JDK's HttpServer: records every request and answers as the test says. */
final class HookBackend implements AutoCloseable {
    private static final Pattern FIELD = Pattern.compile("\"([a-zA-Z_]+)\":\"((?:[^\"\\\\]|\\\\.)*)\"");

    /** One request as the backend saw it; {@code answeredNanos} is when its answer was sent. */
    record Call(String method, String path, Map<String, String> query, Map<String, String> body, long receivedNanos,
                long answeredNanos) {
        String action() {
            return body.getOrDefault("action", "");
        }
    }

    /** What to answer: a status and a body, sent {@code delayMillis} after the request arrived (a slow backend). */
    record Answer(int status, String body, long delayMillis) {
        Answer(int status, String body) {
            this(status, body, 0);
        }
    }

    private final HttpServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final java.util.concurrent.ScheduledExecutorService later = Executors.newSingleThreadScheduledExecutor();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private volatile Function<Call, Answer> answers;

    HookBackend(Function<Call, Answer> answers) throws IOException {
        this.answers = answers;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 100);
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    List<Call> calls() {
        return new ArrayList<>(calls);
    }

    void answers(Function<Call, Answer> next) {
        this.answers = next;
    }

    private void handle(HttpExchange exchange) throws IOException {
        long received = System.nanoTime();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> fields = new LinkedHashMap<>();
        Matcher m = FIELD.matcher(body);
        while (m.find()) {
            fields.put(m.group(1), m.group(2));
        }
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
            for (String pair : raw.split("&")) {
                int eq = pair.indexOf('=');
                query.putIfAbsent(URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                        eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        Call call = new Call(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), query, fields, received, 0);
        Answer answer = answers.apply(call);
        if (answer.delayMillis() <= 0) {
            respond(exchange, call, answer);
            return;
        }
        later.schedule(() -> {
            try {
                respond(exchange, call, answer);
            } catch (IOException e) {
                exchange.close();   // the server hung up first
            }
        }, answer.delayMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private void respond(HttpExchange exchange, Call call, Answer answer) throws IOException {
        byte[] bytes = answer.body().getBytes(StandardCharsets.UTF_8);
        calls.add(new Call(call.method(), call.path(), call.query(), call.body(), call.receivedNanos(), System.nanoTime()));
        exchange.sendResponseHeaders(answer.status(), bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        later.shutdownNow();
        threads.shutdownNow();
    }
}
