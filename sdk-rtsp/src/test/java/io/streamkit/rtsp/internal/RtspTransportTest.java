package io.streamkit.rtsp.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RtspTransportTest {

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        // header | tcp | channel | client port | record
        "RTP/AVP/TCP;unicast;interleaved=0-1 | true | 0 | -1 | false",
        "RTP/AVP/TCP;unicast;interleaved=2-3;mode=record | true | 2 | -1 | true",
        "RTP/AVP/TCP;unicast;mode=\"RECORD\" | true | -1 | -1 | true",
        "RTP/AVP;unicast;client_port=5000-5001 | false | -1 | 5000 | false",
        "RTP/AVP/UDP;unicast;client_port=6970-6971;mode=play | false | -1 | 6970 | false",
        "RTP/AVP;multicast;client_port=5000-5001,RTP/AVP/TCP;unicast;interleaved=4-5 | true | 4 | -1 | false",
        "RTP/SAVP;unicast;client_port=5000-5001,RTP/AVP;unicast;client_port=7000-7001 | false | -1 | 7000 | false",
    })
    void readsTheFirstTransportTaken(String header, boolean tcp, int channel, int clientPort, boolean record) {
        assertEquals(new RtspTransport(tcp, channel, clientPort, record), RtspTransport.parse(header));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "null", "''", "RTP/AVP;unicast", "RTP/AVP;unicast;client_port=0-1", "RTP/AVP;unicast;client_port=65535",
        "RTP/AVP/TCP;interleaved=256-257", "RTP/AVP/TCP;interleaved=x", "RTP/AVP;client_port=99999999999",
        "RAW/RAW/UDP;unicast;client_port=5000", "RTP/AVP;multicast;client_port=5000-5001",
    })
    void refusesTransportsItDoesNotTake(String header) {
        assertNull(RtspTransport.parse(header));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', nullValues = "null", value = {
        "RTP/AVP;unicast;client_port=5000-5001;server_port=6970-6971;ssrc=1A2B3C4D | 6970",
        "RTP/AVP;unicast;client_port=5000-5001;source=10.0.0.1;SERVER_PORT=8000   | 8000",
        "RTP/AVP;unicast;client_port=5000-5001                                    | -1",
        "RTP/AVP;unicast;server_port=70000-70001                                  | -1",
        "RTP/AVP;unicast;server_port=x                                            | -1",
        "null                                                                     | -1",
    })
    void readsTheServersPortFromAnAnswer(String header, int port) {
        assertEquals(port, RtspTransport.serverPort(header));
    }
}
