package io.streamkit.httpflv.internal;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.streamkit.test.ExternalTool;
import java.nio.file.Path;
import javax.net.ssl.SSLException;

/**
 * A self-signed certificate for one host name (and {@code 127.0.0.1} when the name is
 * {@code localhost}), made with openssl
 * (the test is skipped without it, and fails under {@code CI=true}), and TLS contexts over it.
 *
 * @param cert the PEM certificate
 * @param key the PEM private key
 */
record LoopbackCertificate(Path cert, Path key) {

    static LoopbackCertificate create(Path dir, String host) {
        Path cert = dir.resolve(host + ".pem");
        Path key = dir.resolve(host + ".key.pem");
        String names = "DNS:" + host + (host.equals("localhost") ? ",IP:127.0.0.1" : "");
        ExternalTool.run(60, "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                "-subj", "/CN=" + host, "-addext", "subjectAltName=" + names,
                "-keyout", key.toString(), "-out", cert.toString());
        return new LoopbackCertificate(cert, key);
    }

    /** The origin's side. */
    SslContext server() throws SSLException {
        return SslContextBuilder.forServer(cert.toFile(), key.toFile()).build();
    }

    /** A puller's side that trusts this certificate, host names verified as the module's context does. */
    SslContext trustingClient() throws SSLException {
        return SslContextBuilder.forClient().endpointIdentificationAlgorithm("HTTPS").trustManager(cert.toFile()).build();
    }
}
