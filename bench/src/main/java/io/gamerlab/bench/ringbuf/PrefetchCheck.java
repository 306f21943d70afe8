package io.gamerlab.bench.ringbuf;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Whether a prefetch=on build differs at all from its prefetch=off twin: the BPF instructions of
 * both objects, disassembled with llvm-objdump ({@code __builtin_prefetch} has no BPF instruction
 * to become, so clang may drop it). If they are identical, any measured difference between the two
 * is noise, and the run says so.
 */
final class PrefetchCheck {
    private PrefetchCheck() {
    }

    /** e.g. "identical BPF instructions in 6 of 6 build pairs (llvm-objdump -d)", or why it could not tell. */
    static String describe(Map<List<String>, Path> builds) {
        String objdump = find();
        if (objdump == null) return "unknown (no llvm-objdump)";
        int pairs = 0;
        int identical = 0;
        for (Map.Entry<List<String>, Path> on : builds.entrySet()) {
            if (!on.getKey().contains("-DGAMER_PREFETCH_ON")) continue;
            List<String> offFlags = new ArrayList<>(on.getKey());
            offFlags.remove("-DGAMER_PREFETCH_ON");
            Path off = builds.get(offFlags);
            if (off == null) continue;
            pairs++;
            String a = disassemble(objdump, on.getValue());
            String b = disassemble(objdump, off);
            if (a != null && a.equals(b)) identical++;
        }
        if (pairs == 0) return "not checked (no prefetch on/off build pair in this run)";
        return "identical BPF instructions in " + identical + " of " + pairs + " build pairs (llvm-objdump -d)";
    }

    private static String find() {
        for (String name : List.of("llvm-objdump-19", "llvm-objdump")) {
            for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
                if (Path.of(dir, name).toFile().canExecute()) return Path.of(dir, name).toString();
            }
        }
        return null;
    }

    /** The disassembly without its header line (which names the file). */
    private static String disassemble(String objdump, Path object) {
        try {
            Process p = new ProcessBuilder(objdump, "-d", "--no-show-raw-insn", object.toString()).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) return null;
            return out.lines().filter(l -> !l.contains(object.getFileName().toString())).reduce("", (x, y) -> x + y + "\n");
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }
}
