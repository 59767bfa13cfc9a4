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
    void arraysShareOneShapeBufferPerShape() {
        assertThat(FastPath.shapeCacheInstalled()).isTrue();
        org.nd4j.linalg.api.ndarray.INDArray a = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 4, 5);
        org.nd4j.linalg.api.ndarray.INDArray b = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 3, 4, 5);
        org.nd4j.linalg.api.ndarray.INDArray c = Nd4j.create(org.nd4j.linalg.api.buffer.DataType.DOUBLE, 3, 4, 5);
        assertThat(a.shapeInfoDataBuffer()).isSameAs(b.shapeInfoDataBuffer());
        assertThat(c.shapeInfoDataBuffer()).isNotSameAs(a.shapeInfoDataBuffer());
        assertThat(c.dataType()).isEqualTo(org.nd4j.linalg.api.buffer.DataType.DOUBLE);
        // Arrays sharing a shape buffer still hold their own values, and views and ops see the right shapes.
        a.assign(1);
        b.assign(2);
        assertThat(a.sumNumber().doubleValue()).isEqualTo(60);
        assertThat(b.add(a).sumNumber().doubleValue()).isEqualTo(180);
        assertThat(a.permute(2, 0, 1).shape()).containsExactly(5, 3, 4);
        assertThat(a.reshape(12, 5).mmul(Nd4j.ones(org.nd4j.linalg.api.buffer.DataType.FLOAT, 5, 2)).getDouble(11, 1))
                .isEqualTo(5.0);
        assertThat(Nd4j.create(org.nd4j.linalg.api.buffer.DataType.FLOAT, 0, 4).isEmpty()).isTrue();
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
        assertThat(FastPath.trainingThreads()).isEqualTo(3);
        assertThat(FastPath.inferenceThreads()).isEqualTo(3);
        assertThat(FastPath.blasThreadsFor(1)).isEqualTo(3);
    }

    @Test
    void everyNetworkTrainsOnEveryCore() {
        assumeTrue(System.getenv("OMP_NUM_THREADS") == null, "OMP_NUM_THREADS fixes the count");
        assertThat(FastPath.trainingThreads()).isEqualTo(Runtime.getRuntime().availableProcessors());
    }

    @Test
    void openBlasGetsEveryCoreOnlyForLargeDenseLayers() {
        assumeTrue(System.getenv("OMP_NUM_THREADS") == null, "OMP_NUM_THREADS fixes the count");
        int cores = Runtime.getRuntime().availableProcessors();
        assertThat(FastPath.blasThreadsFor(400 * 120)).as("lenet5's fc1").isEqualTo(1);
        assertThat(FastPath.blasThreadsFor(9_437_184)).as("alexnet2-cifar100's fc1").isEqualTo(1);
        assertThat(FastPath.blasThreadsFor(51_380_224)).as("alexnet-scene's fc1").isEqualTo(cores);
        int before = FastPath.status().threads();
        try {
            assertThat(FastPath.useThreadsFor(48_000)).isEqualTo(cores);
            assertThat(Nd4j.factory().blas().getMaxThreads()).as("OpenBLAS stays at one").isEqualTo(1);
            FastPath.useThreadsFor(51_380_224);
            assertThat(Nd4j.factory().blas().getMaxThreads()).isEqualTo(cores);
            FastPath.useThreadsFor(48_000);
            FastPath.withInferenceThreads(() -> assertThat(Nd4j.factory().blas().getMaxThreads())
                    .as("inference leaves OpenBLAS as the model set it").isEqualTo(1));
        } finally {
            FastPath.setThreads(before);
        }
    }

    @Test
    void inferenceUsesEveryCoreAndGivesTheTrainingCountBack() {
        assumeTrue(System.getenv("OMP_NUM_THREADS") == null, "OMP_NUM_THREADS fixes the count");
        int cores = Runtime.getRuntime().availableProcessors();
        int before = FastPath.status().threads();
        try {
            FastPath.setThreads(1); // e.g. -Ddl4jclassics.threads=1 for training, then evaluation's own count
            int inside = FastPath.withInferenceThreads(
                    () -> NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads());
            assertThat(inside).isEqualTo(cores);
            assertThat(FastPath.status().threads()).isEqualTo(1);
            assertThat(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()).isEqualTo(1);
            // ... also when the inference fails
            try {
                FastPath.withInferenceThreads(() -> {
                    throw new IllegalStateException("boom");
                });
            } catch (IllegalStateException expected) {
                assertThat(expected).hasMessage("boom");
            }
            assertThat(NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads()).isEqualTo(1);
        } finally {
            FastPath.setThreads(before);
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
