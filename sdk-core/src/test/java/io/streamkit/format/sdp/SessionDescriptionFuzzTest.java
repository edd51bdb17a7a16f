package io.streamkit.format.sdp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.streamkit.codec.MediaFormatException;
import io.streamkit.format.sdp.RtpFormats.RtpTrackFormat;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Fuzzes {@link SessionDescription#parse} and {@link RtpFormats#parse} with any text, the body
 * of a camera's {@code DESCRIBE} answer or a publisher's {@code ANNOUNCE} (a peer's bytes,
 * decoded as UTF-8).
 *
 * <p>Properties: parsing throws nothing but {@link MediaFormatException}; a description that
 * parses is within the limits (media, attributes), its payload types are 0 to 127 without
 * duplicates, its rtpmaps are of the payload type asked and its format parameter keys lower
 * case; written out, it reads back to the same text (unless the CRs added to LF line ends
 * take it over the size limit); {@link RtpFormats#parse} never throws, and what it reads is
 * one of the section's payload types, and a format it reads, described again, reads back
 * equal.
 *
 * <p>Seeds: ffmpeg's ANNOUNCE and the camera's and GStreamer's DESCRIBE answers of
 * {@link SessionDescriptionTest}, and a session of every payload format {@link RtpFormats}
 * describes, under {@code SessionDescriptionFuzzTestInputs}. The dictionary holds the lines and
 * parameters the payload formats are recognised by, so that a run of this target alone reaches
 * them soon. Its entries have no line break: Jazzer 0.24 writes CR, LF and TAB into the
 * dictionary file unescaped, which libFuzzer refuses.
 */
class SessionDescriptionFuzzTest {

    @FuzzTest
    @DictionaryEntries({
        "v=0", "m=video 0 RTP/AVP 96", "m=audio 0 RTP/AVP 97", "a=control:", "c=IN IP4 ",
        "a=rtpmap:96 H264/90000", "a=rtpmap:96 H265/90000", "a=rtpmap:97 mpeg4-generic/44100/2",
        "a=rtpmap:97 opus/48000/2", "a=rtpmap:97 MPA/90000", "a=fmtp:96 ", "a=fmtp:97 ", "packetization-mode=1;",
        "sprop-parameter-sets=Z0LADdkBQfsBEAAAAwAQAAADAyDxQqSA,aMuDyyA=;", "sprop-vps=QAEMAf//AWAAAAMAkAAAAwAAAwA8lZQJ;",
        "sprop-sps=QgEBAWAAAAMAkAAAAwAAAwA8oAoIDxZZWVKTC8BaAgAAAwACAAADADIQ;", "sprop-pps=RAHAc8GJ;",
        "sprop-max-don-diff=", "mode=AAC-hbr;", "sizelength=13;", "indexlength=3;", "indexdeltalength=3;",
        "config=121056E500;", "sprop-stereo=1",
    })
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.UTF_8);
        SessionDescription d;
        try {
            d = SessionDescription.parse(text);
        } catch (MediaFormatException e) {
            assertNotNull(e.getMessage());
            return;
        }
        assertNotNull(d.name());
        assertTrue(d.media().size() <= SessionDescription.MAX_MEDIA, d.media().size() + " media");
        int attributes = 0;
        for (MediaDescription m : d.media()) {
            attributes += m.attributeCount();
            checkSection(m);
        }
        assertTrue(attributes <= SessionDescription.MAX_ATTRIBUTES, attributes + " attributes");

        String written = d.toString();
        if (SdpText.utf8Length(written) <= SessionDescription.MAX_SIZE) {
            assertEquals(written, SessionDescription.parse(written).toString(), "the text changed in a write and parse");
        }
    }

    private static void checkSection(MediaDescription m) {
        List<Integer> types = m.payloadTypes();
        assertEquals(types.size(), types.stream().distinct().count(), "a payload type twice: " + types);
        for (int type : types) {
            assertTrue(type >= 0 && type <= 127, "payload type " + type);
            m.rtpMap(type).ifPresent(map -> assertEquals(type, map.payloadType()));
            for (String key : m.formatParameters(type).keySet()) {
                assertEquals(key.toLowerCase(Locale.ROOT), key);
            }
        }
        Optional<RtpTrackFormat> track = RtpFormats.parse(m);
        if (track.isEmpty()) {
            return;
        }
        RtpTrackFormat t = track.get();
        assertTrue(types.contains(t.payloadType()), "payload type " + t.payloadType() + " not in " + types);
        assertTrue(t.clockRate() > 0, "clock rate " + t.clockRate());
        assertEquals(m.control(), t.control());
        if (t.format() == null) {
            return;
        }
        assertEquals(t.codec(), t.format().codec());
        Optional<MediaDescription> described = RtpFormats.describe(t.format(), t.payloadType(), t.control());
        assertTrue(described.isPresent(), "a format read is described: " + t);
        RtpTrackFormat again = RtpFormats.parse(described.get()).orElseThrow();
        assertEquals(t.format(), again.format(), "the format changed in a describe and parse");
    }
}
