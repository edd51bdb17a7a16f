package io.streamkit.rtmp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a connect announces: fourCcList, the FourCC info maps (CanDecode or CanForward) and capsEx's Multitrack bit. */
class RtmpPeerCapabilitiesTest {

    @Test
    void aLegacyConnectAnnouncesNothing() {
        assertSame(RtmpPeerCapabilities.LEGACY, RtmpPeerCapabilities.of(Map.of("app", "live", "flashVer", "LNX 9,0,124,2")));
        assertTrue(RtmpPeerCapabilities.LEGACY.hevcCodecId12());
    }

    @Test
    void ffmpegsFourCcListNamesHvc1() {
        // what ffmpeg -rtmp_enhanced_codecs hvc1,av01,vp09 sends
        RtmpPeerCapabilities caps = RtmpPeerCapabilities.of(Map.of("fourCcList", List.of("hvc1", "av01", "vp09")));
        assertTrue(caps.takes("hvc1"));
        assertFalse(caps.hevcCodecId12());
        assertFalse(caps.takes("Opus"));
        assertFalse(caps.multitrack());
    }

    @Test
    void infoMapsCountOnlyDecodeOrForwardAndTheWildcardTakesAll() {
        RtmpPeerCapabilities caps = RtmpPeerCapabilities.of(Map.of(
                "videoFourCcInfoMap", Map.of("hvc1", 2.0, "av01", 1.0, "vp09", 4.0),   // hvc1: CanEncode only
                "audioFourCcInfoMap", Map.of("*", 5.0),
                "capsEx", 2.0));
        assertFalse(caps.takes("hvc1"), "CanEncode is no promise to take it");
        assertTrue(caps.takes("av01"));
        assertTrue(caps.takes("vp09"));
        assertTrue(caps.takes("Opus"), "the audio map's wildcard");
        assertTrue(caps.multitrack());
    }

    @Test
    void hostileListsAreReadOnlyAsFarAsTheLimitAndOddEntriesAreSkipped() {
        List<Object> list = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            list.add(i % 2 == 0 ? "zzz" + (i % 10) : 3.0);
        }
        list.add("hvc1");
        RtmpPeerCapabilities caps = RtmpPeerCapabilities.of(Map.of("fourCcList", list, "capsEx", "all"));
        assertFalse(caps.takes("hvc1"), "past the first " + RtmpPeerCapabilities.MAX_ENTRIES + " entries");
        assertEquals(5, caps.fourCcs().size());
        assertFalse(caps.multitrack());
    }
}
