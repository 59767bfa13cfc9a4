package io.github.dl4jclassics.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The vector instruction set oneDNN runs its kernels with on this machine: the CPU's flags (/proc/cpuinfo), capped by
 * {@code DNNL_MAX_CPU_ISA} when that is set (oneDNN reads it from the environment; libnd4j's oneDNN and PyTorch's both
 * do). Kernel choices that depend on the ISA (oneDNN picks Winograd kernels only on AVX-512) are made from this, never
 * from a timing, so a run's numbers do not depend on how busy the machine was.
 */
public enum CpuIsa {
    /** AVX-512 foundation plus BW, VL, DQ: oneDNN's {@code avx512_core}. */
    AVX512,
    AVX2,
    /** Anything older (or not x86-64): treated like AVX2 by the rules, which were measured on AVX2 and AVX-512. */
    OLDER;

    private static final CpuIsa EFFECTIVE = detect(readFlags(), System.getenv("DNNL_MAX_CPU_ISA"));

    /** The ISA of this process's oneDNN kernels. */
    public static CpuIsa effective() {
        return EFFECTIVE;
    }

    /** The ISA from the CPU's flags and oneDNN's cap ({@code DNNL_MAX_CPU_ISA}, null when unset). */
    static CpuIsa detect(Set<String> cpuFlags, String maxCpuIsa) {
        CpuIsa hardware = cpuFlags.containsAll(Set.of("avx512f", "avx512bw", "avx512vl", "avx512dq")) ? AVX512
                : cpuFlags.contains("avx2") ? AVX2 : OLDER;
        if (maxCpuIsa == null || maxCpuIsa.isBlank()) {
            return hardware;
        }
        String cap = maxCpuIsa.trim().toUpperCase(Locale.ROOT);
        CpuIsa capped = cap.equals("ALL") || cap.startsWith("AVX512") || cap.startsWith("AMX") ? AVX512
                : cap.startsWith("AVX2") ? AVX2 : OLDER;
        return capped.ordinal() > hardware.ordinal() ? capped : hardware;
    }

    /** How oneDNN would name it in {@code DNNL_VERBOSE} lines (the kernels' suffix). */
    public String oneDnnName() {
        return switch (this) {
            case AVX512 -> "avx512_core";
            case AVX2 -> "avx2";
            case OLDER -> "below avx2";
        };
    }

    private static Set<String> readFlags() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("flags")) {
                    return Arrays.stream(line.substring(line.indexOf(':') + 1).trim().split("\\s+"))
                            .collect(Collectors.toSet());
                }
            }
        } catch (IOException e) {
            // Not Linux: no flags known.
        }
        return Set.of();
    }
}
