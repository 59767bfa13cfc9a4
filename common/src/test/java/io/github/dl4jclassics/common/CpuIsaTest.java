package io.github.dl4jclassics.common;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class CpuIsaTest {

    private static final Set<String> AVX512_CPU = Set.of("sse4_2", "avx", "avx2", "avx512f", "avx512bw", "avx512vl",
            "avx512dq", "avx512_vnni");

    @Test
    void readsTheCpusFlags() {
        assertThat(CpuIsa.detect(AVX512_CPU, null)).isEqualTo(CpuIsa.AVX512);
        assertThat(CpuIsa.detect(Set.of("avx", "avx2", "fma"), null)).isEqualTo(CpuIsa.AVX2);
        assertThat(CpuIsa.detect(Set.of("avx2", "avx512f"), null)).as("avx512f alone is not oneDNN's avx512_core")
                .isEqualTo(CpuIsa.AVX2);
        assertThat(CpuIsa.detect(Set.of("sse4_2"), "")).isEqualTo(CpuIsa.OLDER);
    }

    @Test
    void oneDnnsCapLowersButNeverRaisesIt() {
        assertThat(CpuIsa.detect(AVX512_CPU, "AVX2")).isEqualTo(CpuIsa.AVX2);
        assertThat(CpuIsa.detect(AVX512_CPU, "avx2_vnni")).isEqualTo(CpuIsa.AVX2);
        assertThat(CpuIsa.detect(AVX512_CPU, "SSE41")).isEqualTo(CpuIsa.OLDER);
        assertThat(CpuIsa.detect(AVX512_CPU, "AVX512_CORE_VNNI")).isEqualTo(CpuIsa.AVX512);
        assertThat(CpuIsa.detect(Set.of("avx2"), "ALL")).isEqualTo(CpuIsa.AVX2);
        assertThat(CpuIsa.effective().oneDnnName()).isNotBlank();
    }
}
