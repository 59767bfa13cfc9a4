package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestException;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestLoaderTest {

    private static final Path MANIFESTS = Path.of(System.getProperty("project.root", "..")).resolve("experiments/manifests");

    private static final String VALID = """
            {
              "name": "x",
              "description": "d",
              "model": { "id": "lenet5", "classes": 10, "input": "1x28x28" },
              "data": { "dataset": "fashion-mnist", "transforms": [ { "type": "normalize" } ] },
              "training": { "optimizer": { "type": "adam", "learningRate": 0.001 }, "batchSize": 64, "epochs": 3, "seed": 1 },
              "documented": { "metric": "top1", "split": "test", "value": 0.86, "tolerance": 0.01, "source": "s" }
            }
            """;

    private final ManifestLoader loader = new ManifestLoader(MANIFESTS);

    @Test
    void parsesAValidManifestIntoTypedRecords() {
        ExperimentManifest manifest = loader.parse(VALID, "x.json", "x");
        assertThat(manifest.model().input().toString()).isEqualTo("1x28x28");
        assertThat(manifest.training().optimizer().learningRate()).isEqualTo(0.001);
        assertThat(manifest.data().transforms()).hasSize(1);
        assertThat(manifest.evaluation().topK()).isEqualTo(5);
        assertThat(manifest.documented().value()).isEqualTo(0.86);
    }

    @Test
    void furtherDocumentedValuesAreParsedAndValidated() {
        String withChecks = VALID.replace("\"source\": \"s\" }", """
                "source": "s" },
                  "checks": [{"metric": "top5", "split": "test", "value": 0.99},
                             {"metric": "top1", "split": "test", "class": "Shirt", "value": 0.6, "tolerance": 0.05}]""");
        ExperimentManifest manifest = loader.parse(withChecks, "x.json", "x");
        assertThat(manifest.checks()).hasSize(2);
        assertThat(manifest.checks().get(1).className()).isEqualTo("Shirt");
        assertThat(loader.parse(VALID, "x.json", "x").checks()).isEmpty();

        assertThatThrownBy(() -> loader.parse(withChecks.replace("\"split\": \"test\", \"value\": 0.99",
                "\"split\": \"validation\", \"value\": 0.99"), "v.json", "x"))
                .hasMessageContaining("v.json").hasMessageContaining("checks[0].split").hasMessageContaining("data.split");
        assertThatThrownBy(() -> loader.parse(withChecks.replace("\"class\": \"Shirt\"", "\"klass\": \"Shirt\""),
                "k.json", "x")).hasMessageContaining("klass");
        assertThatThrownBy(() -> loader.parse(withChecks.replace("\"value\": 0.6", "\"value\": 60"), "p.json", "x"))
                .hasMessageContaining("fraction");
    }

    @Test
    void aPerEpochTestEvaluationIsParsedAndOffByDefault() {
        assertThat(loader.parse(VALID, "x.json", "x").evaluation().testPerEpoch()).isFalse();
        ExperimentManifest manifest = loader.parse(VALID.replace("\"documented\"",
                "\"evaluation\": {\"perEpoch\": [\"test\"]}, \"documented\""), "x.json", "x");
        assertThat(manifest.evaluation().perEpoch()).containsExactly("test");
        assertThat(manifest.evaluation().testPerEpoch()).isTrue();
        assertThat(manifest.evaluation().topK()).as("the default k stays").isEqualTo(5);
        // The saved manifest keeps the option, and a manifest without it saves no perEpoch field.
        assertThat(io.github.dl4jclassics.common.Json.write(manifest)).contains("\"perEpoch\" : [ \"test\" ]");
        assertThat(io.github.dl4jclassics.common.Json.write(loader.parse(VALID, "x.json", "x"))).doesNotContain("perEpoch");
        // The shipped recipes whose notes draw per-epoch test curves ask for them; the others do not.
        for (String name : List.of("resnet50-transfer-mixup-scene", "resnet101-transfer-mixup-scene",
                "resnet152-transfer-mixup-scene", "alexnet2-cifar100", "alexnet1-cifar100")) {
            assertThat(loader.load(name).evaluation().perEpoch()).as(name).containsExactly("test");
        }
        assertThat(loader.load("lenet5-fashion-mnist").evaluation().perEpoch()).isEmpty();
    }

    @Test
    void aBadPerEpochSplitNamesTheFieldAndTheAllowedValue() {
        String val = VALID.replace("\"documented\"", "\"evaluation\": {\"perEpoch\": [\"val\"]}, \"documented\"");
        assertThatThrownBy(() -> loader.parse(val, "bad.json", "x"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("bad.json")
                .hasMessage("bad.json: field 'evaluation.perEpoch[0]': unknown split 'val'; allowed: test (a note's "
                        + "'val' folder that is its test set is 'test')");
        String validation = VALID.replace("\"documented\"",
                "\"evaluation\": {\"perEpoch\": [\"test\", \"validation\"]}, \"documented\"");
        assertThatThrownBy(() -> loader.parse(validation, "bad.json", "x"))
                .hasMessageContaining("field 'evaluation.perEpoch[1]': 'validation'")
                .hasMessageContaining("measured after every epoch already");
        String twice = VALID.replace("\"documented\"", "\"evaluation\": {\"perEpoch\": [\"test\", \"test\"]}, \"documented\"");
        assertThatThrownBy(() -> loader.parse(twice, "bad.json", "x")).hasMessageContaining("field 'evaluation.perEpoch[1]': 'test' is listed twice");
        String notAList = VALID.replace("\"documented\"", "\"evaluation\": {\"perEpoch\": true}, \"documented\"");
        assertThatThrownBy(() -> loader.parse(notAList, "bad.json", "x"))
                .hasMessageContaining("evaluation.perEpoch").hasMessageContaining("a list");
        // From a part: the message names the part the field came from.
        assertThatThrownBy(() -> loader.parse("""
                {"base": ["lenet5-fashion-mnist-sample.json"], "name": "x", "evaluation": {"perEpoch": ["val"]}}
                """, "mine.json", "x")).hasMessageStartingWith("mine.json: field 'evaluation.perEpoch[0]'");
        String typo = VALID.replace("\"documented\"", "\"evaluation\": {\"perepoch\": [\"test\"]}, \"documented\"");
        assertThatThrownBy(() -> loader.parse(typo, "bad.json", "x"))
                .hasMessageContaining("unknown field 'perepoch'").hasMessageContaining("perEpoch, topK");
    }

    @Test
    void unknownModelIdNamesFileFieldAndValidIds() {
        String text = VALID.replace("\"lenet5\"", "\"lenet6\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("bad.json")
                .hasMessageContaining("model.id")
                .hasMessageContaining("lenet6")
                .hasMessageContaining("lenet5");
    }

    @Test
    void unknownDatasetIdListsAllowedIds() {
        String text = VALID.replace("\"fashion-mnist\"", "\"fashion\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("data.dataset").hasMessageContaining("fashion-mnist");
    }

    @Test
    void unknownFieldIsRejectedWithTheAllowedFields() {
        String text = VALID.replace("\"batchSize\": 64", "\"batchsize\": 64, \"batchSize\": 64");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("bad.json")
                .hasMessageContaining("unknown field 'batchsize'")
                .hasMessageContaining("batchSize");
    }

    @Test
    void wrongTypeNamesTheFieldAndTheExpectedType() {
        String text = VALID.replace("\"epochs\": 3", "\"epochs\": \"three\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("training.epochs").hasMessageContaining("integer");
    }

    @Test
    void missingRequiredFieldIsNamed() {
        String text = VALID.replace("\"batchSize\": 64, ", "");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("missing required field 'training.batchSize'");
    }

    @Test
    void unknownTransformTypeListsTheKnownTypes() {
        String text = VALID.replace("\"normalize\"", "\"normalise\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("data.transforms[0]")
                .hasMessageContaining("normalise")
                .hasMessageContaining("normalize");
    }

    @Test
    void invalidValueIsExplained() {
        String text = VALID.replace("\"type\": \"adam\"", "\"type\": \"adagrad\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x"))
                .hasMessageContaining("training.optimizer").hasMessageContaining("sgd, adam");
    }

    @Test
    void nameMustMatchTheFileName() {
        assertThatThrownBy(() -> loader.parse(VALID, "y.json", "y")).hasMessageContaining("must equal the file name 'y'");
    }

    @Test
    void unknownExperimentNameListsTheKnownOnes() {
        assertThatThrownBy(() -> loader.load("no-such-experiment"))
                .hasMessageContaining("no experiment named 'no-such-experiment'")
                .hasMessageContaining("lenet5-fashion-mnist");
    }

    @Test
    void everyShippedManifestValidates() {
        List<String> names = loader.names();
        assertThat(names).contains("lenet5-fashion-mnist", "lenet5-fashion-mnist-sample");
        for (String name : names) {
            assertThat(loader.load(name).name()).isEqualTo(name);
        }
    }

    @Test
    void aRunFoldersOwnManifestJsonLoadsWhateverItsName(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, VALID);
        assertThat(loader.load(file.toString()).name()).isEqualTo("x");
        Path other = dir.resolve("other.json");
        Files.writeString(other, VALID);
        assertThatThrownBy(() -> loader.load(other.toString())).hasMessageContaining("must equal the file name 'other'");
    }

    @Test
    void binaryFileIsNamedWithWhatWasExpected(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.json");
        Files.write(file, new byte[]{(byte) 0xff, (byte) 0xfe, 0x00, (byte) 0x81, 0x7f});
        assertThatThrownBy(() -> loader.load(file.toString())).hasMessageContaining(file.toString())
                .hasMessageContaining("not UTF-8 text").hasMessageContaining("expected a JSON object");
        Files.writeString(file, "<html>404</html>");
        assertThatThrownBy(() -> loader.load(file.toString())).hasMessageContaining(file.toString())
                .hasMessageContaining("not valid JSON");
    }

    @Test
    void unknownTypeIdLeaksNoJacksonFragment() {
        String text = VALID.replace("\"normalize\"", "\"normalise\"");
        assertThatThrownBy(() -> loader.parse(text, "bad.json", "x")).hasMessageContaining("allowed types: ").hasMessageNotContaining("(for")
                .hasMessageNotContaining("POJO");
    }

    @Test
    void loadsAManifestByPath(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("x.json");
        Files.writeString(file, VALID);
        assertThat(loader.load(file.toString()).name()).isEqualTo("x");
    }
}
