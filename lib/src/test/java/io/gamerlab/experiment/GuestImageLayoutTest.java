package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The root image's partition table, by which the kernel finds its root whatever the NVMe namespaces are called. */
class GuestImageLayoutTest {

    @TempDir
    Path dir;

    @Test
    void oneLinuxPartitionAtOneMebibyteWithTheDiskSignatureOfThePartuuid() throws IOException {
        Path image = dir.resolve("image");
        Files.write(image, new byte[(1 << 20) + 4096]);
        GuestImage.writeMasterBootRecord(image, 64L << 20);
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(image)).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals("67616d65-01", GuestImage.ROOT_PARTUUID);
        assertEquals(0x67616d65, b.getInt(440));
        assertEquals(0x83, b.get(446 + 4) & 0xff, "Linux partition type");
        assertEquals(0x00, b.get(446) & 0xff, "status: inactive, as the kernel's MBR parser accepts");
        assertEquals(2048, b.getInt(446 + 8), "first sector");
        assertEquals((64 << 20) / 512, b.getInt(446 + 12), "sectors");
        assertEquals(0, b.getLong(462) | b.getLong(470) | b.getLong(478) | b.getLong(486) | b.getLong(494) | b.getLong(502),
                "the other three entries are empty");
        assertEquals((byte) 0x55, b.get(510));
        assertEquals((byte) 0xaa, b.get(511));
        assertEquals((1 << 20) + 4096, Files.size(image), "the file system after it is untouched");
    }
}
