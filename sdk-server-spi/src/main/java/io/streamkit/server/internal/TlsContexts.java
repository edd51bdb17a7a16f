package io.streamkit.server.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.streamkit.transport.TlsConfig;
import javax.net.ssl.SSLException;

/** Turns the application's TLS settings into Netty's server context, when a listener starts. */
public final class TlsContexts {
    private TlsContexts() {
    }

    /**
     * Loads the certificate and key into a server context.
     *
     * @param config the settings
     * @return the context
     * @throws SSLException when a file does not hold what it should
     */
    public static SslContext server(TlsConfig config) throws SSLException {
        return SslContextBuilder.forServer(config.certificateChain().toFile(), config.privateKey().toFile()).build();
    }
}
