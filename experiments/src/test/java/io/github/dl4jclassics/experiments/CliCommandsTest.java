package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import org.junit.jupiter.api.Test;

/** The subcommands that need no data: their output is what scripts read. */
class CliCommandsTest {

    @Test
    void describeJsonHasTheDocumentedFields() throws Exception {
        JsonNode json = Json.mapper().readTree(run(0, "describe", "lenet5", "--json"));
        assertThat(json.get("model").asText()).isEqualTo("lenet5");
        assertThat(json.get("input").asText()).isEqualTo("3x32x32");
        assertThat(json.get("numParams").asLong()).isEqualTo(62_006);
        assertThat(json.get("macs").asLong()).isEqualTo(651_720);
        assertThat(json.get("layers").get(0).get("name").asText()).isEqualTo("conv1");
        assertThat(json.get("layers").get(0).get("params").asLong()).isEqualTo(456);
    }

    @Test
    void describeHonoursInputAndClasses() throws Exception {
        JsonNode json = Json.mapper().readTree(run(0, "describe", "lenet5", "--input", "1x28x28", "--classes", "3", "--json"));
        // conv1 1*6*25+6 = 156; fc1 256*120+120; fc2 120*84+84; fc3 84*3+3; conv2 6*16*25+16
        assertThat(json.get("numParams").asLong()).isEqualTo(156 + 2_416 + 30_840 + 10_164 + 255);
    }

    @Test
    void benchJsonReportsPositiveThroughput() throws Exception {
        JsonNode json = Json.mapper().readTree(run(0, "bench", "--model", "lenet5", "--batch", "8", "--warmup", "1",
                "--steps", "2", "--warmup-seconds", "0", "--min-seconds", "0", "--json"));
        assertThat(json.get("model").asText()).isEqualTo("lenet5");
        assertThat(json.get("input").asText()).isEqualTo("3x32x32");
        assertThat(json.get("batch").asInt()).isEqualTo(8);
        assertThat(json.get("trainImgPerSec").asDouble()).isPositive();
        assertThat(json.get("inferImgPerSec").asDouble()).isPositive();
    }

    @Test
    void listModelsCountsParametersWithoutAllocatingWeights() {
        long offHeapBefore = org.bytedeco.javacpp.Pointer.totalBytes();
        String out = run(0, "list", "--models");
        // DL4J's counts (batch-norm running statistics included), from the configuration alone.
        assertThat(out).contains("62,006").contains("143,667,240").contains("60,344,232").doesNotContain("error");
        assertThat(out.lines().filter(l -> l.startsWith("  vgg")).count()).isEqualTo(11);
        // Building VGG19 alone would allocate 575 MB of weights (all models together several GB).
        assertThat(org.bytedeco.javacpp.Pointer.totalBytes() - offHeapBefore).isLessThan(64L << 20);
    }

    @Test
    void unknownModelIsAnErrorNamingTheValidIds() {
        String err = runErr(1, "describe", "lenet6");
        assertThat(err).contains("unknown model id 'lenet6'").contains("lenet5").contains("resnet50");
    }

    private static String run(int expectedCode, String... args) {
        return CommandOutput.out(expectedCode, args);
    }

    private static String runErr(int expectedCode, String... args) {
        return CommandOutput.err(expectedCode, args);
    }
}
