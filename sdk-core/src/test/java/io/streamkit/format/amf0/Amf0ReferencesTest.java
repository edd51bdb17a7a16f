package io.streamkit.format.amf0;

import static io.streamkit.format.amf0.Amf0TypesTest.object;
import static io.streamkit.format.amf0.AmfHex.assertValue;
import static io.streamkit.format.amf0.AmfHex.readAllAmf0;
import static io.streamkit.format.amf0.AmfHex.readAmf0;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.streamkit.codec.MediaFormatException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** AMF0 references (AMF0 spec (Adobe, 2006) section 2.9): what they resolve to and what they may cost. */
class Amf0ReferencesTest {

    @Test
    void resolvesToTheSameInstanceNumberedInTheOrderObjectsBegin() {
        // The strict array is object 0, the object inside it object 1.
        List<?> list = (List<?>) readAmf0("0a 00000002  03 0001 61 00 3ff0000000000000 000009  07 0001");
        assertValue(List.of(object("a", 1.0), object("a", 1.0)), list);
        assertSame(list.get(0), list.get(1));
    }

    @Test
    void resolvesAcrossTheValuesOfOneMessage() {
        List<Object> values = readAllAmf0("08 00000000 0001 6b 02 0001 76 000009  07 0000");
        assertSame(values.get(0), values.get(1));
        assertTrue(values.get(1) instanceof Amf0EcmaArray);
    }

    @Test
    void countsTypedObjectsAndNotStrings() {
        List<Object> values = readAllAmf0("02 0001 73  10 0001 43 000009  03 000009  07 0000");
        assertEquals(new Amf0TypedObject("C", Map.of()), values.get(3));
    }

    @Test
    void rejectsReferencesToAnObjectStillBeingRead() {
        MediaFormatException e = assertThrows(MediaFormatException.class,
                () -> readAmf0("03 0001 61 07 0000 000009"));
        assertEquals("AMF0 object reference 0 points to a value still being read; cyclic values are not supported",
                e.getMessage());
    }

    @Test
    void boundsWhatNestedReferencesExpandTo() {
        // Object 0 is a strict array of 1 KiB; each strict array after it holds two references to the one before,
        // so object n stands for 2^n KiB. A walk of the values would never end; the reader stops.
        StringBuilder hex = new StringBuilder("0a 00000001 02 0400 ").append("61".repeat(1024));
        for (int n = 1; n < 40; n++) {
            hex.append(String.format(" 0a 00000002 07 %04x 07 %04x", n - 1, n - 1));
        }
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> readAllAmf0(hex.toString()));
        assertTrue(e.getMessage().startsWith("AMF0 object references stand for "), e.getMessage());
        assertTrue(e.getMessage().endsWith("more than the 16777216 allowed in one message"), e.getMessage());
    }

    @Test
    void boundsTheNumberOfReferences() {
        StringBuilder hex = new StringBuilder("03 000009");
        hex.append(" 07 0000".repeat(Amf0Reader.MAX_REFERENCES));
        assertEquals(Amf0Reader.MAX_REFERENCES + 1, readAllAmf0(hex.toString()).size());
        hex.append(" 07 0000");
        MediaFormatException e = assertThrows(MediaFormatException.class, () -> readAllAmf0(hex.toString()));
        assertEquals("AMF0 object reference count 65537 exceeds 65536 in one message", e.getMessage());
    }
}
