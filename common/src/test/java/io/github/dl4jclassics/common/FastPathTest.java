package io.github.dl4jclassics.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/** The CPU fast path (oneDNN, native threads); skipped, not failed, on another backend (mvn verify -Pcuda). */
class FastPathTest {

    @BeforeAll
    static void onlyOnTheCpuBackend() {
        String backend = FastPath.enable().backend();
        assumeTrue("CPU".equalsIgnoreCase(backend), "the fast path is CPU-only; ND4J runs on " + backend);
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(FastPath.THREADS_PROPERTY);
    }

    @Test
    void enableTurnsLayerHelpersOn() {
        FastPath.Status status = FastPath.enable();
        assertThat(System.getProperty(FastPath.HELPERS_PROPERTY)).isEqualTo("false");
        assertThat(status.helpersEnabled()).isTrue();
        assertThat(status.backend()).isEqualTo("CPU");
        assertThat(FastPath.enable()).as("idempotent").isSameAs(FastPath.status());
    }

    @Test
    void threadsPropertyOverridesTheChoice() {
        System.setProperty(FastPath.THREADS_PROPERTY, "3");
        assertThat(FastPath.threadsFor(1)).isEqualTo(3);
        assertThat(FastPath.threadsFor(Long.MAX_VALUE)).isEqualTo(3);
    }

    @Test
    void smallNetworksGetOneThread() {
        if (System.getenv("OMP_NUM_THREADS") == null) {
            assertThat(FastPath.threadsFor(FastPath.SMALL_MODEL_MACS - 1)).isEqualTo(1);
        }
        assertThat(FastPath.threadsFor(Long.MAX_VALUE)).isBetween(1, Runtime.getRuntime().availableProcessors());
    }

    @Test
    void largeNetworksGetEveryCoreWhateverTheLoad() {
        if (System.getenv("OMP_NUM_THREADS") == null) {
            assertThat(FastPath.threadsFor(FastPath.SMALL_MODEL_MACS))
                    .isEqualTo(Runtime.getRuntime().availableProcessors());
        }
    }

    @Test
    void setThreadsChangesNd4jsThreadCount() {
        int before = FastPath.status().threads();
        try {
            assertThat(FastPath.setThreads(1)).isEqualTo(1);
            assertThat(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()).isEqualTo(1);
            assertThat(Nd4j.getEnvironment().maxMasterThreads()).isEqualTo(1);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(1);
            assertThat(FastPath.status().threads()).isEqualTo(1);
            assertThat(FastPath.setThreads(0)).as("at least one").isEqualTo(1);
        } finally {
            FastPath.setThreads(before);
        }
    }
}
