package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Module sets resolved from stand-in module trees, and from the real guest kernel's when setup.sh has unpacked it. */
class KernelModulesTest {

    @TempDir
    Path tree;

    /** A minimal ELF64 relocatable with a .modinfo section holding {@code entries}, as a module has. */
    static byte[] module(String... entries) {
        StringBuilder modinfo = new StringBuilder();
        for (String e : entries) modinfo.append(e).append('\0');
        byte[] info = modinfo.toString().getBytes(StandardCharsets.ISO_8859_1);
        byte[] names = "\0.modinfo\0.shstrtab\0".getBytes(StandardCharsets.ISO_8859_1);
        int infoAt = 64;
        int namesAt = infoAt + info.length;
        int shoff = namesAt + names.length;
        ByteBuffer b = ByteBuffer.allocate(shoff + 3 * 64).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7f, 'E', 'L', 'F', 2, 1, 1});
        b.putShort(0x10, (short) 1).putShort(0x12, (short) 62).putInt(0x14, 1);
        b.putLong(0x28, shoff).putShort(0x34, (short) 64).putShort(0x3a, (short) 64).putShort(0x3c, (short) 3).putShort(0x3e, (short) 2);
        b.put(infoAt, info).put(namesAt, names);
        section(b, shoff + 64, 1, 1, infoAt, info.length);       // .modinfo, PROGBITS
        section(b, shoff + 128, 10, 3, namesAt, names.length);   // .shstrtab, STRTAB
        return b.array();
    }

    private static void section(ByteBuffer b, int at, int name, int type, long offset, long size) {
        b.putInt(at, name).putInt(at + 4, type).putLong(at + 24, offset).putLong(at + 32, size);
    }

    private void put(String relative, byte[] bytes) throws IOException {
        Path file = tree.resolve(relative);
        Files.createDirectories(file.getParent());
        Files.write(file, bytes);
    }

    @Test
    void dependsIsReadFromModinfo() {
        assertEquals(List.of("a", "b_c"), KernelModules.dependsOf(module("license=GPL", "depends=a,b-c", "name=x")));
        assertEquals(List.of(), KernelModules.dependsOf(module("depends=", "name=x")));
        assertEquals(List.of(), KernelModules.dependsOf(module("name=x")));
        assertThrows(IllegalArgumentException.class, () -> KernelModules.dependsOf("not an elf at all, just text......................................".getBytes()));
    }

    @Test
    void namesTreatDashAndUnderscoreAlike() {
        assertEquals("virtio_input", KernelModules.moduleName("virtio-input.ko.xz"));
        assertEquals("evdev", KernelModules.moduleName("evdev.ko.zst"));
        assertEquals("evdev", KernelModules.moduleName("evdev.ko"));
        assertNull(KernelModules.moduleName("modules.order"));
    }

    @Test
    void dependenciesComeFirstEachOnceAndBuiltinsAreLeftOut() throws IOException {
        put("kernel/drivers/a.ko", module("depends=b,c", "name=a"));
        put("kernel/drivers/c.ko", module("depends=b,core", "name=c"));
        put("kernel/lib/b.ko", module("depends=", "name=b"));
        Files.writeString(tree.resolve("modules.builtin"), "kernel/lib/core.ko\n");
        KernelModules m = KernelModules.resolve(tree, List.of("a", "b"));
        assertEquals(List.of("b", "c", "a"), m.names());
    }

    @Test
    void modulesDepWinsOverModinfoWhenTheTreeHasOne() throws IOException {
        put("kernel/a.ko", module("depends=b", "name=a"));
        put("kernel/b.ko", module("depends=", "name=b"));
        put("kernel/z.ko", module("depends=", "name=z"));
        Files.writeString(tree.resolve("modules.dep"), "kernel/a.ko: kernel/z.ko\nkernel/b.ko:\nkernel/z.ko:\n");
        assertEquals(List.of("z", "a"), KernelModules.resolve(tree, List.of("a")).names());
    }

    @Test
    void aMissingModuleOrACycleIsNamed() throws IOException {
        put("kernel/a.ko", module("depends=b", "name=a"));
        put("kernel/b.ko", module("depends=a", "name=b"));
        IllegalStateException missing = assertThrows(IllegalStateException.class, () -> KernelModules.resolve(tree, List.of("nope")));
        assertTrue(missing.getMessage().contains("nope"), missing.getMessage());
        IllegalStateException cycle = assertThrows(IllegalStateException.class, () -> KernelModules.resolve(tree, List.of("a")));
        assertTrue(cycle.getMessage().contains("cycle"), cycle.getMessage());
        IllegalStateException noTree = assertThrows(IllegalStateException.class,
                () -> KernelModules.resolve(tree.resolve("absent"), List.of("a")));
        assertTrue(noTree.getMessage().contains("scripts/setup.sh"), noTree.getMessage());
    }

    @Test
    void compressedModulesAreStagedDecompressedWithTheirLoadList() throws IOException {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/xz")), "xz (Debian package xz-utils) is not installed");
        byte[] b = module("depends=", "name=b");
        put("kernel/b.ko", b);
        io.gamerlab.util.Command.run("compressing a stand-in module", List.of("xz", tree.resolve("kernel/b.ko").toString()));
        put("kernel/a.ko", module("depends=b", "name=a"));
        KernelModules m = KernelModules.resolve(tree, List.of("a"));
        Path root = tree.resolve("root");
        m.stage(root);
        Path dir = root.resolve(KernelModules.DIR_IN_GUEST);
        assertArrayEquals(b, Files.readAllBytes(dir.resolve("b.ko")));
        assertEquals("b\na\n", Files.readString(dir.resolve(KernelModules.LOAD_LIST)));
    }

    @Test
    void theDigestChangesWithTheModuleSetAndTheirBytes() throws IOException {
        put("kernel/a.ko", module("depends=", "name=a"));
        put("kernel/b.ko", module("depends=", "name=b"));
        String a = KernelModules.resolve(tree, List.of("a")).digest();
        String ab = KernelModules.resolve(tree, List.of("a", "b")).digest();
        assertNotEquals(a, ab);
        assertEquals(a, KernelModules.resolve(tree, List.of("a")).digest());
        put("kernel/a.ko", module("depends=", "name=a", "version=2"));
        assertNotEquals(a, KernelModules.resolve(tree, List.of("a")).digest());
    }

    @Test
    void theGuestKernelsVirtioInputAndEvdevNeedNothingElse() throws IOException {
        Path real = GuestBackend.moduleTree(GuestBackend.cacheDir().resolve("kernel"));
        assumeTrue(real != null, "the guest kernel's modules are not unpacked (scripts/setup.sh)");
        List<String> names = KernelModules.resolve(real, KernelModules.VIRTIO_INPUT).names();
        assertTrue(names.containsAll(List.of("virtio_input", "evdev")), names.toString());
        assertTrue(names.indexOf("virtio_input") >= 0 && names.size() <= 4, names.toString());
    }
}
