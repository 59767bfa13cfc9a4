package io.github.dl4jclassics.experiments.regress;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class GpuCheckTest {

    @ParameterizedTest
    @CsvSource({"3, 7, true", "5, 0, true", "6, 1, true", "7, 0, true", "7, 5, true", "8, 0, true", "8, 6, true",
            "8, 9, true", "3, 5, false", "3, 0, false", "2, 1, false", "9, 0, false", "10, 0, false", "12, 0, false"})
    void supportedComputeCapabilities(int major, int minor, boolean supported) {
        assertThat(GpuCheck.supported(major, minor)).as(major + "." + minor).isEqualTo(supported);
    }

    @Test
    void messageForAHopperGpuNamesItAndTheSupportedRange() {
        String message = GpuCheck.unsupportedMessage(new GpuCheck.Gpu(0, "NVIDIA H100 80GB HBM3", 9, 0));
        assertThat(message).contains("GPU 0: NVIDIA H100 80GB HBM3, compute capability 9.0")
                .contains("3.7 to 8.6").contains("no PTX").contains("nd4j-cuda-11.6").contains("Hopper")
                .contains("Blackwell");
    }

    @Test
    void devicesAreReadFromNd4jsEnvironmentInformation() {
        Properties environment = new Properties();
        environment.put("cuda.devicesInformation", List.of(
                Map.of("cuda.deviceName", "Tesla T4", "cuda.deviceMajor", 7L, "cuda.deviceMinor", 5L),
                Map.of("cuda.deviceName", "NVIDIA B200", "cuda.deviceMajor", 10L, "cuda.deviceMinor", 0L)));
        assertThat(GpuCheck.devices(environment)).containsExactly(new GpuCheck.Gpu(0, "Tesla T4", 7, 5),
                new GpuCheck.Gpu(1, "NVIDIA B200", 10, 0));
        assertThat(GpuCheck.devices(new Properties())).isEmpty();
    }

    @Test
    void convolutionCheckPassesOnThisBackend() {
        assertThat(GpuCheck.verify(false)).singleElement().asString().contains("convolution check").endsWith("OK");
    }
}
