package io.streamkit.test;

/** Finds a box's payload in an MP4 file by walking the box tree; enough for sample entries. */
public final class Mp4Boxes {
    private static final java.util.Set<String> CONTAINERS = java.util.Set.of(
            "moov", "trak", "mdia", "minf", "stbl", "edts", "udta");

    private Mp4Boxes() {
    }

    /**
     * Returns the payload of the first box of {@code type}, searching containers and sample entries.
     *
     * @param file the MP4 bytes
     * @param type a four-character box type such as {@code "avcC"}
     * @return the payload (after the 8-byte header), or {@code null}
     */
    public static byte[] find(byte[] file, String type) {
        return find(file, 0, file.length, type);
    }

    private static byte[] find(byte[] d, int from, int to, String type) {
        int i = from;
        while (i + 8 <= to) {
            long size = ((d[i] & 0xffL) << 24) | ((d[i + 1] & 0xff) << 16) | ((d[i + 2] & 0xff) << 8) | (d[i + 3] & 0xff);
            String t = new String(d, i + 4, 4, java.nio.charset.StandardCharsets.ISO_8859_1);
            int header = 8;
            if (size == 1) {
                size = 0;
                for (int k = 0; k < 8; k++) {
                    size = (size << 8) | (d[i + 8 + k] & 0xff);
                }
                header = 16;
            } else if (size == 0) {
                size = to - i;
            }
            if (size < header || i + size > to) {
                return null;
            }
            int end = (int) (i + size);
            if (t.equals(type)) {
                return java.util.Arrays.copyOfRange(d, i + header, end);
            }
            int child = -1;
            if (CONTAINERS.contains(t)) {
                child = i + header;
            } else if (t.equals("stsd")) {
                child = i + header + 8;               // version/flags, entry count
            } else if (t.equals("avc1") || t.equals("hvc1") || t.equals("hev1") || t.equals("av01")) {
                child = i + header + 78;              // VisualSampleEntry fields
            } else if (t.equals("mp4a") || t.equals("Opus")) {
                child = i + header + 28;              // AudioSampleEntry fields
            }
            if (child >= 0) {
                byte[] found = find(d, child, end, type);
                if (found != null) {
                    return found;
                }
            }
            i = end;
        }
        return null;
    }
}
