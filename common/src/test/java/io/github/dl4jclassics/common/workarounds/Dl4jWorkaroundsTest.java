package io.github.dl4jclassics.common.workarounds;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class Dl4jWorkaroundsTest {

    @Test
    void theDl4jOnTheClassPathIsTheOneTheWorkaroundsWereWrittenFor() {
        assertThat(Dl4jWorkarounds.detectedVersion()).isEqualTo(Dl4jWorkarounds.WRITTEN_FOR);
        assertThat(Dl4jWorkarounds.versionWarning(Dl4jWorkarounds.detectedVersion())).isNull();
    }

    @Test
    void anotherVersionIsNamedWithEveryWorkaroundToCheck() {
        String warning = Dl4jWorkarounds.versionWarning("1.0.0-M3");
        assertThat(warning).startsWith("DL4J VERSION MISMATCH")
                .contains("written for Deeplearning4j 1.0.0-M2.1, but 1.0.0-M3 is on the class path")
                .contains("org.nd4j.nativeblas.Nd4jCpu (common)")
                .contains("FastConvolutionLayer")
                .contains("TrainingUi (training)");
        assertThat(warning.lines().count()).isEqualTo(1 + Workaround.values().length);
        assertThat(Dl4jWorkarounds.versionWarning(null)).contains("but an unknown version is on the class path");
    }
}
