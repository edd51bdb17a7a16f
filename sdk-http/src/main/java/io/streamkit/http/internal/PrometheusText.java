package io.streamkit.http.internal;

/**
 * Writes metrics in the Prometheus text exposition format, version 0.0.4: for each family a
 * {@code # HELP} and a {@code # TYPE} line, then its samples, one a line, each
 * {@code name{label="value",...} number}.
 *
 * <p>Escaping as the format requires: in HELP text, backslash and line feed
 * ({@code \\}, {@code \n}); in label values, backslash, double quote and line feed. Values
 * are integers as written, floats in Java's form, and {@code NaN}, {@code +Inf}, {@code -Inf}.
 * Metric and label names are ours and are checked against {@code [a-zA-Z_:][a-zA-Z0-9_:]*}.
 *
 * @see <a href="https://prometheus.io/docs/instrumenting/exposition_formats/">Exposition formats</a>
 */
public final class PrometheusText implements io.streamkit.server.spi.MetricsWriter {
    /** The content type that names this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder out = new StringBuilder(1024);

    /** Starts an empty exposition. */
    public PrometheusText() {
    }

    /**
     * Starts a family: its HELP and TYPE lines.
     *
     * @param name the metric name
     * @param type {@code counter}, {@code gauge}, {@code untyped} ...
     * @param help what it measures
     * @return this writer
     */
    @Override
    public PrometheusText family(String name, String type, String help) {
        checkName(name);
        out.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++) {
            char c = help.charAt(i);
            if (c == '\\') {
                out.append("\\\\");
            } else if (c == '\n') {
                out.append("\\n");
            } else {
                out.append(c);
            }
        }
        out.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * Writes an integer sample.
     *
     * @param name the metric name
     * @param value the value
     * @param labels label names and values, alternating; a {@code null} value leaves the label out
     * @return this writer
     */
    @Override
    public PrometheusText sample(String name, long value, String... labels) {
        head(name, labels);
        out.append(value).append('\n');
        return this;
    }

    /**
     * Writes a floating-point sample.
     *
     * @param name the metric name
     * @param value the value
     * @param labels label names and values, alternating; a {@code null} value leaves the label out
     * @return this writer
     */
    public PrometheusText sample(String name, double value, String... labels) {
        head(name, labels);
        if (Double.isNaN(value)) {
            out.append("NaN");
        } else if (Double.isInfinite(value)) {
            out.append(value > 0 ? "+Inf" : "-Inf");
        } else {
            out.append(value);
        }
        out.append('\n');
        return this;
    }

    private void head(String name, String[] labels) {
        checkName(name);
        if (labels.length % 2 != 0) {
            throw new IllegalArgumentException("labels come in name, value pairs");
        }
        out.append(name);
        boolean open = false;
        for (int i = 0; i < labels.length; i += 2) {
            if (labels[i + 1] == null) {
                continue;
            }
            checkName(labels[i]);
            out.append(open ? ',' : '{');
            open = true;
            out.append(labels[i]).append("=\"");
            String v = labels[i + 1];
            for (int j = 0; j < v.length(); j++) {
                char c = v.charAt(j);
                switch (c) {
                    case '\\' -> out.append("\\\\");
                    case '"' -> out.append("\\\"");
                    case '\n' -> out.append("\\n");
                    default -> out.append(c);
                }
            }
            out.append('"');
        }
        if (open) {
            out.append('}');
        }
        out.append(' ');
    }

    private static void checkName(String name) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty metric or label name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = c == '_' || c == ':' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
                    || (i > 0 && c >= '0' && c <= '9');
            if (!ok) {
                throw new IllegalArgumentException("'" + name + "' is not a valid metric or label name");
            }
        }
    }

    /**
     * Returns the exposition written so far.
     *
     * @return the text, ending in a line feed
     */
    @Override
    public String toString() {
        return out.toString();
    }
}
