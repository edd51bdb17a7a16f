#!/usr/bin/env python3
"""Writes the seed inputs of the fuzz targets (the *FuzzTest classes of sdk-core and
sdk-rtmp and sdk-http) from the fixtures and the unit tests' tables: each seed is a small, valid (or
nearly valid) input in the form the target reads, so that fuzzing starts from the interesting
structure rather than from nothing, and so that without fuzzing the seeds run as regression
tests.

Seeds go where Jazzer looks for them: src/test/resources/<package>/<Class>Inputs/<method>/.
Targets that read a FuzzedDataProvider take numbers from the end of the input, so their seeds
end with the few bytes those numbers come from (commented at each target); targets that read
a byte[] get the bytes alone. Findings that Jazzer writes there (crash-*) are kept by hand and
not touched by this script, which only (re)writes the files named seed-*.

The multiplexers (CoreParsersFuzzTest, RtmpParsersFuzzTest, HttpParsersFuzzTest), which `./mvnw verify` fuzzes,
get every target's seeds and findings with one byte appended: the index of the target among
the module's *FuzzTest classes sorted by name (see io.streamkit.test.FuzzTargets). Inputs a multiplexer run
finds (crash-*, timeout-*, oom-* in its seed directory) are moved to their target's seed
directory, without the selecting byte. Run this script again after adding a target or after
a finding.

Usage: python3 sdk-bench/fuzz-seeds.py   (from the repository root)
"""
import hashlib
import hmac
import os
import re
import struct

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CORE_RES = os.path.join(ROOT, "sdk-core/src/test/resources")
RTMP_RES = os.path.join(ROOT, "sdk-rtmp/src/test/resources")
HTTP_RES = os.path.join(ROOT, "sdk-http/src/test/resources")


def fixture(path):
    with open(os.path.join(CORE_RES, path), "rb") as f:
        return f.read()


def write(res, package, cls, method, name, data):
    d = os.path.join(res, package.replace(".", "/"), cls + "Inputs", method)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "seed-" + name), "wb") as f:
        f.write(data)


def h(text):
    return bytes.fromhex(text.replace(" ", ""))


# ---- AMF0 / AMF3 ----

def amf_str(s):
    b = s.encode()
    return b"\x02" + struct.pack(">H", len(b)) + b


def amf_num(x):
    return b"\x00" + struct.pack(">d", x)


def amf_obj(pairs, marker=b"\x03"):
    out = marker
    for k, v in pairs:
        kb = k.encode()
        out += struct.pack(">H", len(kb)) + kb + v
    return out + b"\x00\x00\x09"


def amf0_seeds():
    pkg, cls = "io.streamkit.format.amf0", "Amf0ReaderFuzzTest"
    connect = amf_str("connect") + amf_num(1) + amf_obj([
        ("app", amf_str("live")), ("type", amf_str("nonprivate")), ("flashVer", amf_str("FMLE/3.0")),
        ("tcUrl", amf_str("rtmp://127.0.0.1:1935/live")), ("objectEncoding", amf_num(0)),
        ("fourCcList", b"\x0a" + struct.pack(">I", 2) + amf_str("hvc1") + amf_str("av01")),
    ])
    write(CORE_RES, pkg, cls, "readAll", "connect", connect)
    meta = amf_str("@setDataFrame") + amf_str("onMetaData") + amf_obj([
        ("duration", amf_num(0)), ("width", amf_num(1280)), ("height", amf_num(720)),
        ("videocodecid", amf_num(7)), ("encoder", amf_str("Lavf61")), ("stereo", b"\x01\x01"),
    ], marker=b"\x08" + struct.pack(">I", 6))
    write(CORE_RES, pkg, cls, "readAll", "metadata", meta)
    publish = amf_str("publish") + amf_num(5) + b"\x05" + amf_str("cam1?token=x") + amf_str("live")
    write(CORE_RES, pkg, cls, "readAll", "publish", publish)
    # a typed object, a date, a long string, undefined, a reference to the first object, XML
    refs = amf_obj([("a", amf_num(1))]) + b"\x10" + struct.pack(">H", 3) + b"Cls" + amf_obj([("b", b"\x06")])[1:] \
        + b"\x0b" + struct.pack(">d", 1.7e12) + b"\x00\x00" + b"\x0c" + struct.pack(">I", 3) + b"abc" \
        + b"\x07\x00\x00" + b"\x0f" + struct.pack(">I", 4) + b"<a/>" + b"\x0a" + struct.pack(">I", 1) + b"\x07\x00\x01"
    write(CORE_RES, pkg, cls, "readAll", "references", refs)
    write(CORE_RES, pkg, cls, "readAll", "avmplus", amf_str("connect") + amf_num(1) + b"\x11" + amf3_object())
    write(CORE_RES, pkg, cls, "readAll", "nested", b"\x03\x00\x01a" * 8 + b"\x05" + b"\x00\x00\x09" * 8)

    cls = "Amf3ReaderFuzzTest"
    write(CORE_RES, pkg, cls, "read", "object", amf3_object())
    write(CORE_RES, pkg, cls, "read", "integer", h("04 ff ff ff ff"))
    write(CORE_RES, pkg, cls, "read", "array", h("09 05 03 6b 06 03 76 01 04 01 04 02"))      # {k: "v"} + [1, 2]
    write(CORE_RES, pkg, cls, "read", "string-references", h("09 07 01 06 07 61 62 63 06 00 06 00"))
    write(CORE_RES, pkg, cls, "read", "byte-array", h("0c 07 01 02 03"))
    write(CORE_RES, pkg, cls, "read", "date", h("08 01 42 78 bc fe 56 80 00 00"))
    write(CORE_RES, pkg, cls, "read", "xml", h("0b 09 3c 61 2f 3e"))
    # a sealed class with traits used twice by reference
    write(CORE_RES, pkg, cls, "read", "traits", h("09 05 01 0a 13 07 50 74 03 78 04 01 0a 01 04 02"))


def amf3_object():
    # dynamic anonymous object {app: "live", n: 3}
    return h("0a 0b 01 07 61 70 70 06 09 6c 69 76 65 03 6e 04 03 01")


# ---- FLV ----

def flv_tags(data):
    """Yields (type, timestamp, body) of each tag of an FLV file."""
    offset = struct.unpack(">I", data[5:9])[0] + 4
    while offset + 11 <= len(data):
        t = data[offset] & 0x1F
        size = int.from_bytes(data[offset + 1:offset + 4], "big")
        ts = int.from_bytes(data[offset + 4:offset + 7], "big") | data[offset + 7] << 24
        body = data[offset + 11:offset + 11 + size]
        yield t, ts, body
        offset += 11 + size + 4


def flv_seeds():
    pkg = "io.streamkit.format.flv"
    video, audio = {}, {}
    for name in ["h264-aac-160x120-2s.flv", "h264x2-aacx2-multitrack-2s.flv", "h264-opusx2-multitrack-2s.flv"]:
        data = fixture("format/flv/" + name)
        stem = name.split("-2s")[0]
        for t, ts, body in flv_tags(data):
            kind = (t, body[:2])
            target = video if t == 9 else audio if t == 8 else None
            if target is None:
                continue
            key = (stem, body[0], body[1] if len(body) > 1 else -1)
            if key not in target and len(target) < 24:
                target[key] = body[:400]
        write(CORE_RES, pkg, "FlvReaderFuzzTest", "read", stem, data[:2048] + b"\x00")
    for i, (key, body) in enumerate(sorted(video.items())):
        write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "%s-%02x%02x" % (key[0], key[1], key[2] & 0xFF), body)
    for i, (key, body) in enumerate(sorted(audio.items())):
        write(CORE_RES, pkg, "FlvAudioTagFuzzTest", "parse", "%s-%02x%02x" % (key[0], key[1], key[2] & 0xFF), body)
    # Enhanced RTMP forms the fixtures lack: ModEx, ManyTracksManyCodecs, legacy HEVC, command frame
    write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "modex",
          h("97 00 00 00 00 01") + b"hvc1" + h("00 00 00 aa bb"))
    write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "many-codecs",
          h("96 21") + b"avc1" + h("00 000006") + h("00 00 00 aa bb cc") + b"hvc1" + h("01 000004") + h("00 00 01 dd"))
    write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "many-tracks",
          h("96 13") + b"av01" + h("00 000002 aa bb 02 000001 cc"))
    write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "legacy-hevc", h("1c 01 00 00 21 00 00 00 05 26 01"))
    write(CORE_RES, pkg, "FlvVideoTagFuzzTest", "parse", "command", h("d0") + b"avc1" + h("01"))
    write(CORE_RES, pkg, "FlvAudioTagFuzzTest", "parse", "mp3", h("2f ff fb 90 64"))
    write(CORE_RES, pkg, "FlvAudioTagFuzzTest", "parse", "many-codecs",
          h("95 21") + b"mp4a" + h("00 000002 12 10") + b"Opus" + h("01 000003 fc ff fe"))
    write(CORE_RES, pkg, "FlvAudioTagFuzzTest", "parse", "modex", h("97 00 00 00 00 01") + b"Opus" + h("fc"))


# ---- MPEG-TS ----

def ts_seeds():
    data = fixture("format/mpegts/h264-aac-160x120-2s.ts")
    pkg, cls = "io.streamkit.format.mpegts", "MpegTsDemuxerFuzzTest"
    write(CORE_RES, pkg, cls, "demux", "first-packets", data[:188 * 10] + b"\x00")
    # PAT, PMT and the first packet of each elementary PID after the first ones
    packets = [data[i:i + 188] for i in range(0, len(data), 188)]
    picked, seen = packets[:2], set()
    for p in packets[2:]:
        pid = (p[1] & 0x1F) << 8 | p[2]
        if p[1] & 0x40 and pid not in seen:
            seen.add(pid)
            picked.append(p)
    write(CORE_RES, pkg, cls, "demux", "each-pid", b"".join(picked[:8]) + b"\x00")
    write(CORE_RES, pkg, cls, "demux", "garbage-between", data[:188] + b"\x47\x00\x11" + data[188:188 * 4] + b"\x00")


# ---- codecs ----

def avcc_sps(avcc):
    n = struct.unpack(">H", avcc[6:8])[0]
    return avcc[8:8 + n]


def hvcc_nal(hvcc, nal_type):
    i = 23
    for _ in range(hvcc[22]):
        t = hvcc[i] & 0x3F
        count = struct.unpack(">H", hvcc[i + 1:i + 3])[0]
        i += 3
        for _ in range(count):
            n = struct.unpack(">H", hvcc[i:i + 2])[0]
            if t == nal_type:
                return hvcc[i + 2:i + 2 + n]
            i += 2 + n
    return None


def annexb_access_units(data, h265):
    """Splits an Annex B stream at its access unit delimiters into length-prefixed access units."""
    starts = []
    i = 0
    while True:
        j = data.find(b"\x00\x00\x01", i)
        if j < 0:
            break
        starts.append(j + 3)
        i = j + 3
    nals = []
    for k, s in enumerate(starts):
        e = starts[k + 1] - 3 if k + 1 < len(starts) else len(data)
        nal = data[s:e].rstrip(b"\x00") if k + 1 < len(starts) else data[s:e]
        nals.append(nal)
    aus, cur = [], []
    for nal in nals:
        t = (nal[0] >> 1) & 0x3F if h265 else nal[0] & 0x1F
        if t == (35 if h265 else 9) and cur:
            aus.append(cur)
            cur = []
        cur.append(nal)
    if cur:
        aus.append(cur)
    return [b"".join(struct.pack(">I", len(n)) + n for n in au) for au in aus]


def codec_seeds():
    for name in sorted(os.listdir(os.path.join(CORE_RES, "codec"))):
        data = fixture("codec/" + name)
        stem = name.rsplit(".", 1)[0]
        if name.endswith(".avcC"):
            write(CORE_RES, "io.streamkit.codec.h264", "AvcDecoderConfigurationRecordFuzzTest", "parse", stem, data)
            write(CORE_RES, "io.streamkit.codec.h264", "H264SpsFuzzTest", "parse", stem, avcc_sps(data))
        elif name.endswith(".hvcC"):
            write(CORE_RES, "io.streamkit.codec.h265", "HevcDecoderConfigurationRecordFuzzTest", "parse", stem, data)
            write(CORE_RES, "io.streamkit.codec.h265", "H265SpsFuzzTest", "parse", stem, hvcc_nal(data, 33))
        elif name.endswith(".av1C"):
            write(CORE_RES, "io.streamkit.codec.av1", "Av1CodecConfigurationRecordFuzzTest", "parse", stem, data)
            write(CORE_RES, "io.streamkit.codec.av1", "Av1SequenceHeaderFuzzTest", "find", stem, data[4:])
        elif name.endswith(".asc"):
            write(CORE_RES, "io.streamkit.codec.aac", "AudioSpecificConfigFuzzTest", "parse", stem, data)
        elif name.endswith(".opushead"):
            write(CORE_RES, "io.streamkit.codec.opus", "OpusHeadFuzzTest", "parse", stem, data)
        elif name.endswith(".h264") or name.endswith(".h265"):
            h265 = name.endswith(".h265")
            pkg = "io.streamkit.codec.h265" if h265 else "io.streamkit.codec.h264"
            cls = "H265AccessUnitsFuzzTest" if h265 else "H264AccessUnitsFuzzTest"
            for k, au in enumerate(annexb_access_units(data, h265)[:6]):
                # the last byte picks the NAL unit length size: 2 is the third of {1, 2, 4}, 4 bytes
                write(CORE_RES, pkg, cls, "isRandomAccessPoint", "%s-au%d" % (stem, k), au[:600] + b"\x02")
    for name, text in [("he-aac-hierarchical", "2b 11 88 00"), ("he-aacv2-hierarchical", "eb 09 88 00"),
                       ("he-aac-backward", "13 90 56 e5 a0"), ("he-aacv2-backward", "13 88 56 e5 a5 48 80"),
                       ("explicit-frequency", "17 80 49 d4 10"), ("usac", "f9 48 40"), ("pce", "11 80 04 c8 44 00 20 00")]:
        write(CORE_RES, "io.streamkit.codec.aac", "AudioSpecificConfigFuzzTest", "parse", name, h(text))


# ---- RTMP ----

PLAYER_KEY = b"Genuine Adobe Flash Player 001"


def chunk(csid, type_, stream_id, timestamp, payload, chunk_size=128):
    out = bytes([csid]) + timestamp.to_bytes(3, "big") + len(payload).to_bytes(3, "big") + bytes([type_]) \
        + struct.pack("<I", stream_id)
    for i in range(0, max(len(payload), 1), chunk_size):
        if i:
            out += bytes([0xC0 | csid])
        out += payload[i:i + chunk_size]
    return out


def connect_chunks():
    cmd = amf_str("connect") + amf_num(1) + amf_obj([
        ("app", amf_str("live")), ("tcUrl", amf_str("rtmp://127.0.0.1/live")), ("objectEncoding", amf_num(0))])
    create = amf_str("createStream") + amf_num(2) + b"\x05"
    publish = amf_str("publish") + amf_num(3) + b"\x05" + amf_str("cam1") + amf_str("live")
    avc = b"\x17\x00\x00\x00\x00" + fixture("codec/h264-baseline-320x240-25.avcC")
    return chunk(3, 20, 0, 0, cmd) + chunk(3, 20, 0, 0, create) + chunk(3, 20, 1, 0, publish) \
        + chunk(6, 9, 1, 0, avc) + chunk(4, 8, 1, 0, b"\xaf\x00" + fixture("codec/aac-lc-44100-2.asc"))


def c1_digest(layout):
    c1 = bytearray(hashlib.sha256(b"c1").digest() * 48)
    c1[0:4] = b"\x00\x00\x00\x00"
    c1[4:8] = b"\x80\x00\x07\x02"
    base = 8 if layout == 1 else 772
    offset = base + 4 + sum(c1[base:base + 4]) % 728
    digest = hmac.new(PLAYER_KEY, bytes(c1[:offset] + c1[offset + 32:]), hashlib.sha256).digest()
    c1[offset:offset + 32] = digest
    return bytes(c1)


def rtmp_seeds():
    pkg = "io.streamkit.rtmp.internal"
    simple = bytes(4) + bytes(4) + hashlib.sha256(b"simple").digest() * 47 + bytes(24)
    assert len(simple) == 1536
    c2 = hashlib.sha256(b"c2").digest() * 48
    after = connect_chunks()
    write(RTMP_RES, pkg, "RtmpHandshakeHandlerFuzzTest", "handshake", "simple", b"\x03" + simple + c2 + after + b"\x00")
    write(RTMP_RES, pkg, "RtmpHandshakeHandlerFuzzTest", "handshake", "digest-0",
          b"\x03" + c1_digest(0) + c2 + after[:64] + b"\x00")
    write(RTMP_RES, pkg, "RtmpHandshakeHandlerFuzzTest", "handshake", "digest-1",
          b"\x03" + c1_digest(1) + c2 + b"\x00")
    write(RTMP_RES, pkg, "RtmpHandshakeHandlerFuzzTest", "handshake", "rtmpe", b"\x06" + simple[:100] + b"\x00")
    server = chunk(2, 5, 0, 0, struct.pack(">I", 2500000)) + chunk(2, 6, 0, 0, struct.pack(">IB", 2500000, 2)) \
        + chunk(2, 1, 0, 0, struct.pack(">I", 60000))
    write(RTMP_RES, pkg, "RtmpClientHandshakeHandlerFuzzTest", "handshake", "answer",
          b"\x03" + c1_digest(0) + simple + server + b"\x00")

    # chunk streams; the trailer is three zero bytes: no cut, default chunk stream and message limits
    spec1 = h("03 0003e8 000020 08 39300000") + bytes(range(32)) + h("83 000014") + bytes(32) \
        + h("c3") + bytes(32) + h("c3") + bytes(32)
    spec2 = h("04 0003e8 000133 09 3a300000") + bytes(128) + h("c4") + bytes(128) + h("c4") + bytes(51)
    extended = h("02 ffffff 000004 01 00000000 01000000") + h("00001000") + h("06 ffffff 000010 09 01000000 12345678") \
        + bytes(16)
    setsize = chunk(2, 1, 0, 0, struct.pack(">I", 4096)) + chunk(6, 9, 1, 0, bytes(300), 4096)
    abort = h("06 000000 000100 09 01000000") + bytes(128) + chunk(2, 2, 0, 0, struct.pack(">I", 6)) \
        + h("06 000000 000002 09 01000000 aabb")
    long_ids = h("00 05 000000 000003 14 00000000 010203") + h("01 ff 00 000000 000002 14 00000000 0405")
    for name, data in [("spec-example-1", spec1), ("spec-example-2", spec2), ("extended-timestamps", extended),
                       ("set-chunk-size", setsize), ("abort", abort), ("long-chunk-stream-ids", long_ids),
                       ("connect-publish", connect_chunks())]:
        write(RTMP_RES, pkg, "RtmpChunkDecoderFuzzTest", "decode", name, data + b"\x00\x00\x00")

    # aggregates; the trailer is a false boolean (split the bytes as they are) and a 4-byte timestamp
    def tag(t, ts, payload):
        return bytes([t]) + len(payload).to_bytes(3, "big") + (ts & 0xFFFFFF).to_bytes(3, "big") \
            + bytes([ts >> 24 & 0xFF]) + bytes(3) + payload + struct.pack(">I", 11 + len(payload))
    body = tag(9, 1000, h("17010000000000000a")) + tag(8, 1040, h("af01aabb")) \
        + tag(18, 1020, h("02000a6f6e4d65746144617461"))
    write(RTMP_RES, pkg, "RtmpAggregateFuzzTest", "split", "three-tags", body + b"\x00" + struct.pack(">I", 5000))
    write(RTMP_RES, pkg, "RtmpAggregateFuzzTest", "split", "bad-back-pointer",
          body[:-4] + struct.pack(">I", 99) + b"\x00" + struct.pack(">I", 0xFFFFFFF0))

    for name, text in [("tcurl", "rtmp://127.0.0.1:1935/live/app?token=abc&x=%41"), ("name", "cam1?token=x&a=1&a=2"),
                       ("slashes", "//live///cam1//"), ("percent", "%zz?%E2%82%AC=%"), ("rtmps", "rtmps://h/a/b"),
                       ("ipv6", "rtmp://[::1]:1936/app/name")]:
        write(RTMP_RES, pkg, "RtmpUrlsFuzzTest", "parse", name, text.encode())

    # HTTP request targets; the last byte picks the method (0 GET, 1 HEAD, 2 POST, 3 DELETE, 4 OPTIONS)
    for name, uri, method in [("flv", "/live/cam1.flv?token=x", 0), ("api", "/api/streams/live/cam1", 0),
                              ("app", "/app/x?who=me&a=%41", 2), ("dots", "/app/%2e%2e/secret", 0),
                              ("bad-escape", "/app/%zz", 0), ("head", "/live/a.flv", 1), ("options", "*", 4),
                              ("query-only", "?a=b", 0), ("encoded-slash", "/a%2Fb", 0)]:
        write(HTTP_RES, "io.streamkit.http.internal", "HttpRouterFuzzTest", "route", name, uri.encode() + bytes([method]))


def target_names(module):
    """The module's fuzz targets, sorted by class name as io.streamkit.test.FuzzTargets sorts them."""
    src = os.path.join(ROOT, module, "src/test/java")
    names = []
    for d, _, files in os.walk(src):
        for f in files:
            if f.endswith("FuzzTest.java") and not f.endswith("ParsersFuzzTest.java"):
                names.append(os.path.relpath(os.path.join(d, f), src)[:-len(".java")].replace(os.sep, "."))
    return sorted(names)


def fuzz_method(module, name):
    """The name of the @FuzzTest method of a target class."""
    with open(os.path.join(ROOT, module, "src/test/java", name.replace(".", "/") + ".java")) as f:
        match = re.search(r"@FuzzTest\s+(?:public\s+)?void\s+(\w+)\(", f.read())
    return match.group(1)


def adopt_findings(module, res, multiplexer):
    """Moves the inputs a multiplexer run found (crash-*, timeout-*, oom-*) to their target's seeds."""
    names = target_names(module)
    out = os.path.join(res, multiplexer.replace(".", "/") + "Inputs", "anyParser")
    if not os.path.isdir(out):
        return
    for f in sorted(os.listdir(out)):
        if f.startswith("seed-") or f.startswith("."):
            continue
        with open(os.path.join(out, f), "rb") as found:
            data = found.read()
        name = names[data[-1] % len(names)] if data else names[0]
        inputs = os.path.join(res, name.replace(".", "/") + "Inputs")
        method = fuzz_method(module, name)
        os.makedirs(os.path.join(inputs, method), exist_ok=True)
        with open(os.path.join(inputs, method, f), "wb") as adopted:
            adopted.write(data[:-1])
        os.remove(os.path.join(out, f))
        print("fuzz-seeds: %s moved to %s" % (f, os.path.relpath(os.path.join(inputs, method), ROOT)))


def multiplexer_seeds(module, res, multiplexer):
    """Copies each target's inputs into the multiplexer's seed directory, its index appended."""
    names = target_names(module)
    out = os.path.join(res, multiplexer.replace(".", "/") + "Inputs", "anyParser")
    if os.path.isdir(out):
        for f in os.listdir(out):
            if f.startswith("seed-"):
                os.remove(os.path.join(out, f))
    os.makedirs(out, exist_ok=True)
    for index, name in enumerate(names):
        inputs = os.path.join(res, name.replace(".", "/") + "Inputs")
        if not os.path.isdir(inputs):
            continue
        for method in sorted(os.listdir(inputs)):
            for f in sorted(os.listdir(os.path.join(inputs, method))):
                with open(os.path.join(inputs, method, f), "rb") as seed:
                    data = seed.read()
                target = "seed-%s-%s" % (name.rsplit(".", 1)[1], f)
                with open(os.path.join(out, target), "wb") as copy:
                    copy.write(data + bytes([index]))


if __name__ == "__main__":
    amf0_seeds()
    flv_seeds()
    ts_seeds()
    codec_seeds()
    rtmp_seeds()
    adopt_findings("sdk-core", CORE_RES, "io.streamkit.CoreParsersFuzzTest")
    adopt_findings("sdk-rtmp", RTMP_RES, "io.streamkit.rtmp.internal.RtmpParsersFuzzTest")
    adopt_findings("sdk-http", HTTP_RES, "io.streamkit.http.internal.HttpParsersFuzzTest")
    multiplexer_seeds("sdk-core", CORE_RES, "io.streamkit.CoreParsersFuzzTest")
    multiplexer_seeds("sdk-rtmp", RTMP_RES, "io.streamkit.rtmp.internal.RtmpParsersFuzzTest")
    multiplexer_seeds("sdk-http", HTTP_RES, "io.streamkit.http.internal.HttpParsersFuzzTest")
