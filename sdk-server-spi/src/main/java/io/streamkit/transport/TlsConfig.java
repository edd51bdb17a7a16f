package io.streamkit.transport;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * TLS on a port of its own (RTMPS, HTTPS) with the application's certificate: PEM files
 * holding the certificate chain and the PKCS#8 private key. Files are checked to be
 * readable when the configuration is made and loaded when the server starts.
 *
 * <p>A final class rather than a record, so that options (client certificates, protocols,
 * ciphers) can be added without breaking callers.
 */
public final class TlsConfig {
    private final int port;
    private final Path certificateChain;
    private final Path privateKey;

    private TlsConfig(int port, Path certificateChain, Path privateKey) {
        this.port = port;
        this.certificateChain = certificateChain;
        this.privateKey = privateKey;
    }

    /**
     * Checks the settings, a valid port and readable files, and returns them.
     *
     * @param port the TCP port; 0 picks a free one
     * @param certificateChain a PEM file with the certificate and its chain
     * @param privateKey a PEM file with the PKCS#8 private key
     * @return the settings
     * @throws IllegalArgumentException when the port is outside 0-65535 or a file is not readable
     */
    public static TlsConfig of(int port, Path certificateChain, Path privateKey) {
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("tls port " + port + " outside 0-65535");
        }
        for (Path p : new Path[] {certificateChain, privateKey}) {
            Objects.requireNonNull(p, "tls file");
            if (!Files.isReadable(p)) {
                throw new IllegalArgumentException("tls file " + p + " is not readable");
            }
        }
        return new TlsConfig(port, certificateChain, privateKey);
    }

    /**
     * Returns the TLS port.
     *
     * @return the port; 0 when the system picks one
     */
    public int port() {
        return port;
    }

    /**
     * Returns the certificate file.
     *
     * @return a PEM file with the certificate and its chain
     */
    public Path certificateChain() {
        return certificateChain;
    }

    /**
     * Returns the key file.
     *
     * @return a PEM file with the PKCS#8 private key
     */
    public Path privateKey() {
        return privateKey;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TlsConfig t && t.port == port && t.certificateChain.equals(certificateChain)
                && t.privateKey.equals(privateKey);
    }

    @Override
    public int hashCode() {
        return Objects.hash(port, certificateChain, privateKey);
    }

    @Override
    public String toString() {
        return "TlsConfig[port=" + port + ", certificateChain=" + certificateChain + ", privateKey=" + privateKey + "]";
    }
}
