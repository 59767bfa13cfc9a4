package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.weights.NpyArrays;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import io.github.dl4jclassics.zoo.weights.Predictor;
import java.io.File;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The zoo's PyTorch parity check (as in {@code ParityTest}) for networks rebuilt by {@link NativeLayers#useNative}: the
 * native LRN and fast convolution layers give PyTorch's logits too. Skipped without PyTorch.
 */
class NativeLayersParityTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static Path script;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTorch() throws Exception {
        FastPath.enable();
        Assumptions.assumeTrue(new File(PYTHON).canExecute(), "no " + PYTHON);
        Process p = new ProcessBuilder(PYTHON, "-c", "import torch, torchvision").redirectErrorStream(true).start();
        Assumptions.assumeTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, "python3 has no torch/torchvision");
        script = Files.createTempFile("torch_reference", ".py");
        try (InputStream in = NativeLayersParityTest.class.getResourceAsStream("/torch_reference.py")) {
            Files.write(script, in.readAllBytes());
        }
        script.toFile().deleteOnExit();
    }

    @ParameterizedTest(name = "{0} {1} classes {2}")
    @CsvSource({
            "lenet5, 3x32x32, 10",
            "alexnet-scene, 3x64x64, 6",
            "resnet18, 3x64x64, 6",
            "vgg11-lrn, 3x32x32, 10",
    })
    void nativeLayersMatchPyTorch(String id, String input, int classes) throws Exception {
        Process p = new ProcessBuilder(PYTHON, script.toString(), id, input, Integer.toString(classes), dir.toString())
                .redirectErrorStream(true).start();
        String log = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0).as("torch_reference.py: " + log).isTrue();

        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = new ModelSpec(classes, InputShape.parse(input), 0);
        NetworkConfiguration configuration = Predictor.logitsConfiguration(model.configuration(spec)).withNativeLayers();
        ClassifierNetwork net = ClassifierNetwork.fromConfiguration(configuration);
        NpzWeights.read(dir.resolve("weights.npz")).loadInto(model, net);

        INDArray x = NpyArrays.read(dir.resolve("x.npy")).castTo(DataType.FLOAT);
        INDArray logits = net.output(x, false);
        INDArray expected = NpyArrays.read(dir.resolve("y.npy"));
        double scale = Transforms.abs(expected).maxNumber().doubleValue();
        double maxDiff = Transforms.abs(logits.castTo(expected.dataType()).sub(expected)).maxNumber().doubleValue();
        assertThat(maxDiff / scale).as(id + " max |dl4j - torch| / max |torch|").isLessThan(1e-4);
    }
}
