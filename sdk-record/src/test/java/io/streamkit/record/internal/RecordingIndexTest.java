package io.streamkit.record.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.streamkit.record.RecordEnd;
import io.streamkit.record.RecordFormat;
import io.streamkit.record.RecordedFile;
import io.streamkit.stream.Codec;
import io.streamkit.stream.StreamKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The index survives a restart: finished files come back whole, a start without a finish is what recovery sees, a damaged line is skipped. */
class RecordingIndexTest {
    @Test
    void finishedFilesAndUnfinishedStartsComeBackAfterARestart(@TempDir Path root) throws IOException {
        StreamKey key = StreamKey.of("rec", "cam1");
        RecordingIndex index = new RecordingIndex(root);
        RecordedFile a = RecordedFile.builder(key, root.resolve("rec/cam1/a.mp4"), "rec/cam1/a.mp4", RecordFormat.MP4,
                Instant.ofEpochMilli(1_796_000_000_000L)).build();
        RecordedFile b = RecordedFile.builder(key, root.resolve("rec/cam1/b.mp4"), "rec/cam1/b.mp4", RecordFormat.MP4,
                Instant.ofEpochMilli(1_796_000_005_000L)).build();
        index.started(a);
        RecordedFile aDone = RecordedFile.builder(key, a.path(), a.name(), a.format(), a.start())
                .duration(Duration.ofMillis(4998)).bytes(80710).timestamps(0, 4_960_000).codecs(List.of(Codec.H264, Codec.AAC))
                .frames(125, 213).end(RecordEnd.ROTATION).build();
        index.finished(aDone);
        index.started(b);
        Files.writeString(root.resolve(RecordingIndex.FILE_NAME), "F\tbroken\n", StandardCharsets.UTF_8,
                StandardOpenOption.APPEND);

        RecordingIndex again = new RecordingIndex(root);
        again.load(root);
        assertEquals(1, again.finished().size());
        assertEquals(aDone.toString(), again.finished().get(0).toString());
        assertEquals(List.of("rec/cam1/b.mp4"), again.unfinished().stream().map(RecordedFile::name).toList());
    }
}
