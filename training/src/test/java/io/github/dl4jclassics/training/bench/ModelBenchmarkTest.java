package io.github.dl4jclassics.training.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ModelBenchmarkTest {

    @Test
    void measuresTrainingAndInferenceAndWritesTheDocumentedJson() throws Exception {
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        ModelSpec spec = new ModelSpec(10, InputShape.parse("3x32x32"), 1);
        BenchmarkResult result = ModelBenchmark.run(model, spec, 8, 1, 3);

        assertThat(result.model()).isEqualTo("lenet5");
        assertThat(result.input()).isEqualTo(spec.input());
        assertThat(result.batch()).isEqualTo(8);
        assertThat(result.trainImgPerSec()).isPositive().isFinite();
        assertThat(result.inferImgPerSec()).isPositive().isFinite();
        assertThat(result.threads()).isEqualTo(FastPath.trainingThreads());
        assertThat(result.inferThreads()).isEqualTo(FastPath.inferenceThreads());

        JsonNode json = Json.mapper().readTree(result.toJson());
        List<String> fields = new ArrayList<>();
        json.fieldNames().forEachRemaining(fields::add);
        assertThat(fields).containsExactly("model", "input", "batch", "trainImgPerSec", "inferImgPerSec", "threads",
                "inferThreads");
        assertThat(json.get("input").asText()).isEqualTo("3x32x32");
        assertThat(json.get("batch").asInt()).isEqualTo(8);
        assertThat(json.get("trainImgPerSec").asDouble()).isEqualTo(result.trainImgPerSec());
    }

    @Test
    void syntheticBatchHasTheSpecShapeAndOneHotLabels() {
        ModelSpec spec = new ModelSpec(6, InputShape.parse("3x64x64"), 1);
        var data = ModelBenchmark.syntheticBatch(spec, 5);
        assertThat(data.getFeatures().shape()).containsExactly(5, 3, 64, 64);
        assertThat(data.getLabels().shape()).containsExactly(5, 6);
        assertThat(data.getLabels().sum(1).toDoubleVector()).containsOnly(1.0);
        assertThat(data.getLabels().getDouble(4, 4)).isEqualTo(1.0);
    }

    @Test
    void medianIgnoresOutliers() {
        assertThat(ModelBenchmark.median(new double[]{5, 1, 100})).isEqualTo(5);
        assertThat(ModelBenchmark.median(new double[]{4, 1, 2, 100})).isEqualTo(3);
    }

    @Test
    void rejectsNonsenseArguments() {
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        ModelSpec spec = model.defaultSpec(1);
        assertThatThrownBy(() -> ModelBenchmark.run(model, spec, 0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ModelBenchmark.run(model, spec, 8, 1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
