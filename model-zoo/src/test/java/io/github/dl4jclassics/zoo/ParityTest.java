package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.zoo.weights.NpyArrays;
import io.github.dl4jclassics.zoo.weights.Predictor;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * PyTorch parity: the reference network (the note's code or torchvision's) is random-initialised by
 * {@code torch_reference.py}, exported as .npz, and {@code predict} must reproduce its eval-mode logits within 1e-4
 * relative error (max |difference| / max |reference logit|). Fixtures are generated per run (kept out of git) and
 * the tests are skipped when /usr/bin/python3 with torch and torchvision is not available.
 */
class ParityTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTorch() throws Exception {
        Assumptions.assumeTrue(new File(PYTHON).canExecute(), "no " + PYTHON);
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision").redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 has no torch/torchvision");
        script = Files.createTempFile("torch_reference", ".py");
        try (InputStream in = ParityTest.class.getResourceAsStream("/torch_reference.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
    }

    @ParameterizedTest(name = "{0} {1} classes {2}")
    @CsvSource({
            "lenet5, 3x32x32, 10",
            "lenet-scene, 3x64x64, 6",
            "alexnet2-cifar100, 3x32x32, 100",
            "alexnet-scene, 3x64x64, 6",
            "resnet18, 3x64x64, 6",
            "vgg11-bn, 3x32x32, 10",
            "vgg11-lrn, 3x32x32, 10",
            "alexnet-cifar10-128, 3x128x128, 10",
            "alexnet-torchvision, 3x224x224, 10",
    })
    void smallModelsMatchPyTorch(String id, String input, int classes) throws Exception {
        assertParity(id, input, classes);
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0} {1} classes {2}")
    @CsvSource({
            "lenet5, 1x28x28, 10",
            "custom-lenet-scene, 3x64x64, 6",
            "alexnet, 3x227x227, 1000",
            "alexnet-torchvision, 3x224x224, 1000",
            "alexnet-torchvision, 3x416x416, 10",
            "alexnet1-cifar100, 3x32x32, 100",
            "vggnet-cifar10-128, 3x128x128, 10",
            "vgg11, 3x224x224, 1000",
            "vgg11-lrn, 3x224x224, 1000",
            "vgg13, 3x224x224, 1000",
            "vgg16-c, 3x224x224, 1000",
            "vgg16, 3x224x224, 1000",
            "vgg19, 3x224x224, 1000",
            "vgg11-bn, 3x224x224, 1000",
            "vgg13-bn, 3x224x224, 1000",
            "vgg16-bn, 3x224x224, 1000",
            "vgg19-bn, 3x224x224, 1000",
            "resnet18, 3x224x224, 1000",
            "resnet34, 3x224x224, 1000",
            "resnet50, 3x224x224, 1000",
            "resnet101, 3x224x224, 1000",
            "resnet152, 3x224x224, 1000",
            "resnet50, 3x64x64, 6",
    })
    void bigModelsMatchPyTorch(String id, String input, int classes) throws Exception {
        // -Dparity.models=alexnet,vgg16 runs a subset of these (each takes up to minutes on a small machine).
        String only = System.getProperty("parity.models", "");
        Assumptions.assumeTrue(only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(id),
                "not selected by -Dparity.models=" + only);
        assertParity(id, input, classes);
    }

    private void assertParity(String id, String input, int classes) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(PYTHON, script.toString(), id, input, Integer.toString(classes), dir.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0).as("torch_reference.py: " + log).isTrue();
        long torchParams = Long.parseLong(log.trim().lines().reduce((a, b) -> b).orElseThrow().trim());
        ClassicModel model = ModelRegistry.standard().get(id);
        assertThat(ModelSummary.of(model, new ModelSpec(classes, InputShape.parse(input), 0)).trainableParams())
                .as("PyTorch parameter count").isEqualTo(torchParams);

        Path out = dir.resolve("dl4j.npy");
        INDArray logits = Predictor.predict(id, dir.resolve("weights.npz"), dir.resolve("x.npy"), out);
        INDArray expected = NpyArrays.read(dir.resolve("y.npy"));
        assertThat(NpyArrays.read(out).equalsWithEps(logits, 0)).as("written y.npy = returned logits").isTrue();
        assertThat(logits.shape()).containsExactly(expected.shape());
        double scale = Transforms.abs(expected).maxNumber().doubleValue();
        double maxDiff = Transforms.abs(logits.sub(expected)).maxNumber().doubleValue();
        assertThat(maxDiff / scale).as(id + " max |dl4j - torch| / max |torch| (scale " + scale + ")").isLessThan(1e-4);
    }
}
