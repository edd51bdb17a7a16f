package io.streamkit.webhook.internal;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;

/**
 * A response body read up to a bound: past {@code max} bytes the rest is not read (the stream is
 * cancelled), so a backend's answer costs at most that much memory, whatever it sends.
 */
final class LimitedBody implements HttpResponse.BodySubscriber<byte[]> {
    private final int max;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final CompletableFuture<byte[]> result = new CompletableFuture<>();
    private Flow.Subscription subscription;

    private LimitedBody(int max) {
        this.max = max;
    }

    /**
     * Returns a handler whose bodies are read up to {@code max} bytes.
     *
     * @param max the most that is read
     * @return the handler
     */
    static HttpResponse.BodyHandler<byte[]> upTo(int max) {
        return info -> new LimitedBody(max);
    }

    @Override
    public CompletionStage<byte[]> getBody() {
        return result;
    }

    @Override
    public void onSubscribe(Flow.Subscription s) {
        this.subscription = s;
        s.request(1);
    }

    @Override
    public void onNext(List<ByteBuffer> items) {
        for (ByteBuffer b : items) {
            int take = Math.min(b.remaining(), max - out.size());
            byte[] chunk = new byte[take];
            b.get(chunk);
            out.write(chunk, 0, take);
        }
        if (out.size() >= max) {
            result.complete(out.toByteArray());
            subscription.cancel();
        } else {
            subscription.request(1);
        }
    }

    @Override
    public void onError(Throwable t) {
        result.completeExceptionally(t);
    }

    @Override
    public void onComplete() {
        result.complete(out.toByteArray());
    }
}
