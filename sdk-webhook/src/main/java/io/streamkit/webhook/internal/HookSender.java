package io.streamkit.webhook.internal;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Sends hook requests: in order per client, at most {@code maxConcurrent} at once with at most
 * {@code maxQueued} waiting, notifications retried with a doubling delay.
 *
 * <p><b>Order.</b> Each client's requests form a chain: one starts when the one before it has
 * finished, retries included, so {@code on_stop} never overtakes its {@code on_play}. A decision
 * waits for its turn at most one timeout: a backend that is slow to take a notification does not
 * hold a client's publish past the server's auth deadline.
 *
 * <p>Thread-safe; completions run on the HTTP client's threads or the scheduler's.
 */
final class HookSender {
    private final HttpClient client;
    private final ScheduledExecutorService scheduler;
    private final Duration timeout;
    private final int retries;
    private final long retryDelayMillis;
    private final int maxConcurrent;
    private final int maxQueued;
    private final Map<Long, CompletableFuture<Void>> chains = new ConcurrentHashMap<>();
    private final ArrayDeque<Runnable> waiting = new ArrayDeque<>();
    private int inFlight;   // guarded by waiting
    private final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();
    private volatile boolean closed;

    HookSender(HttpClient client, ScheduledExecutorService scheduler, Duration timeout, int retries, Duration retryDelay,
               int maxConcurrent, int maxQueued) {
        this.client = client;
        this.scheduler = scheduler;
        this.timeout = timeout;
        this.retries = retries;
        this.retryDelayMillis = retryDelay.toMillis();
        this.maxConcurrent = maxConcurrent;
        this.maxQueued = maxQueued;
    }

    /**
     * Sends a request in its client's turn.
     *
     * @param client the client's connection, whose requests go in order; 0 for none
     * @param decision whether it is a decision (no retry, a bounded wait for its turn)
     * @param request makes the request, for each attempt
     * @param read reads the status and body into an answer
     * @return the answer: a failure when the backend could not be asked or the queue was full
     */
    CompletableFuture<HookAnswer> send(long client, boolean decision, Supplier<HttpRequest> request,
                                       BiFunction<Integer, byte[], HookAnswer> read) {
        CompletableFuture<HookAnswer> answer = new CompletableFuture<>();
        if (closed) {
            answer.complete(HookAnswer.failure("the server is stopping"));
            return answer;
        }
        if (client == 0) {
            attempt(request, read, decision ? 0 : retries, retryDelayMillis, answer);
            return answer;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        CompletableFuture<Void> before = chains.put(client, done);
        CompletableFuture<Void> turn = before == null ? CompletableFuture.completedFuture(null) : before;
        if (decision) {
            turn = turn.applyToEither(delay(timeout.toMillis()), x -> x);
        }
        turn.whenComplete((x, e) -> attempt(request, read, decision ? 0 : retries, retryDelayMillis, answer));
        answer.whenComplete((a, e) -> {
            done.complete(null);
            chains.remove(client, done);   // the last of the chain: nothing to wait for
        });
        return answer;
    }

    /** One attempt, then the retries that are left after a failure. */
    private void attempt(Supplier<HttpRequest> request, BiFunction<Integer, byte[], HookAnswer> read, int left,
                         long delay, CompletableFuture<HookAnswer> answer) {
        admit(() -> {
            HttpRequest r;
            try {
                r = request.get();
            } catch (RuntimeException e) {
                release();
                answer.complete(HookAnswer.failure("hook request could not be made: " + e.getMessage()));
                return;
            }
            client.sendAsync(r, LimitedBody.upTo(HookAnswer.MAX_READ_BYTES))
                    .orTimeout(timeout.toMillis() + 500, TimeUnit.MILLISECONDS)
                    .handle((response, error) -> {
                        release();
                        HookAnswer a;
                        if (error != null) {
                            Throwable cause = error.getCause() != null ? error.getCause() : error;
                            a = HookAnswer.failure(r.uri().getHost() + ":" + r.uri().getPort() + " did not answer: "
                                    + (cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName()));
                        } else {
                            a = read.apply(response.statusCode(), response.body());
                        }
                        if (a.kind() == HookAnswer.Kind.FAILURE && left > 0 && !closed) {
                            try {
                                scheduler.schedule(() -> attempt(request, read, left - 1, delay * 2, answer), delay,
                                        TimeUnit.MILLISECONDS);
                                return null;
                            } catch (java.util.concurrent.RejectedExecutionException stopping) {
                                // the server stops: this answer is the last
                            }
                        }
                        answer.complete(a);
                        return null;
                    });
        }, answer);
    }

    /** Runs the task now if a slot is free, else queues it; a full queue fails the answer. */
    private void admit(Runnable task, CompletableFuture<HookAnswer> answer) {
        boolean now;
        synchronized (waiting) {
            if (inFlight < maxConcurrent) {
                inFlight++;
                now = true;
            } else if (waiting.size() < maxQueued) {
                waiting.addLast(task);
                now = false;
            } else {
                dropped.increment();
                answer.complete(HookAnswer.failure(maxQueued + " hook requests are waiting, the limit"));
                return;
            }
        }
        if (now) {
            task.run();
        }
    }

    /** Frees a slot, or passes it to the next waiting task. */
    private void release() {
        Runnable next;
        synchronized (waiting) {
            next = waiting.pollFirst();
            if (next == null) {
                inFlight--;
            }
        }
        if (next != null) {
            next.run();
        }
    }

    private CompletableFuture<Void> delay(long millis) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        try {
            scheduler.schedule(() -> f.complete(null), millis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            f.complete(null);
        }
        return f;
    }

    /** How many requests wait for a slot. */
    int queued() {
        synchronized (waiting) {
            return waiting.size();
        }
    }

    /** How many requests found the queue full and were not sent. */
    long dropped() {
        return dropped.sum();
    }

    /** Stops retrying; requests in flight finish or time out. */
    void close() {
        closed = true;
    }
}
