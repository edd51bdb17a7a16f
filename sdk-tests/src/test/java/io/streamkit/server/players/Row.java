package io.streamkit.server.players;

import java.util.List;

/**
 * One cell of the real-player matrix: what one client saw of one stream over one protocol in
 * one phase.
 *
 * @param client the player, for example {@code ffprobe} or {@code VLC}
 * @param protocol {@code RTMP}, {@code HTTP-FLV}, ...
 * @param kind the stream: {@code a/v}, {@code audio}, {@code video}
 * @param phase {@code first}, {@code reconnected}, {@code across}
 * @param result {@link #PASS}, {@link #FAIL} or {@link #SKIP}
 * @param detail what it saw, and on failure the evidence
 */
public record Row(String client, String protocol, String kind, String phase, String result, String detail) {
    /** The player saw what was published. */
    public static final String PASS = "pass";
    /** The player did not; {@link #detail()} says why. */
    public static final String FAIL = "FAIL";
    /** The player is not installed on a developer machine (in CI that is a {@link #FAIL}). */
    public static final String SKIP = "skip";

    /**
     * Lays rows out as a plain-text table, one line each.
     *
     * @param rows the rows
     * @return the table with a header line
     */
    public static String table(List<Row> rows) {
        StringBuilder b = new StringBuilder(String.format("%-10s %-9s %-6s %-12s %-5s %s%n", "client", "protocol", "kind",
                "phase", "", "detail"));
        for (Row r : rows) {
            b.append(String.format("%-10s %-9s %-6s %-12s %-5s %s%n", r.client, r.protocol, r.kind, r.phase, r.result,
                    r.detail));
        }
        return b.toString();
    }
}
