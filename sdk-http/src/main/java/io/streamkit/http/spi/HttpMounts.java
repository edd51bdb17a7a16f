package io.streamkit.http.spi;

/**
 * Where modules mount their parts of the HTTP port: a service the HTTP module provides
 * ({@code ModuleContext.service(HttpMounts.class)}) to the modules started after it. Mounts
 * added while the server starts serve from its first request on.
 */
public interface HttpMounts {

    /**
     * Adds a mount; mounts are tried in the order added.
     *
     * @param mount the mount
     */
    void mount(HttpMount mount);
}
