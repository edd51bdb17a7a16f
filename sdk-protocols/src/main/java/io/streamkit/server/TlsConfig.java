package io.streamkit.server;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS on a port of its own (RTMPS, HTTPS) with the application's certificate: PEM files
 * holding the certificate chain and the PKCS#8 private key. Files are checked to be
 * readable when the configuration is built and loaded when the server starts.
 *
 * @param port the TCP port; 0 picks a free one
 * @param certificateChain a PEM file with the certificate and its chain
 * @param privateKey a PEM file with the PKCS#8 private key
 */
public record TlsConfig(int port, Path certificateChain, Path privateKey) {

    /**
     * Checks the settings: a valid port and readable files.
     *
     * @param port the TCP port
     * @param certificateChain the certificate file
     * @param privateKey the key file
     */
    public TlsConfig {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tls port " + port + " outside 0-65535");
        }
        for (Path p : new Path[] {certificateChain, privateKey}) {
            Objects.requireNonNull(p, "tls file");
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("tls file " + p + " is not readable");
            }
        }
    }

    /**
     * Loads the certificate and key into a server context; for the protocols.
     *
     * @return the context
     * @throws javax.net.ssl.SSLException when a file does not hold what it should
     */
    public io.netty.handler.ssl.SslContext serverContext() throws javax.net.ssl.SSLException {
        File cert = certificateChain.toFile();
        File key = privateKey.toFile();
        return io.netty.handler.ssl.SslContextBuilder.forServer(cert, key).build();
    }
}
