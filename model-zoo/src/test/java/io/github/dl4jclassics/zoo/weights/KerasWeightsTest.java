package io.github.dl4jclassics.zoo.weights;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * KerasWeights on real Keras HDF5 files: {@code /keras/make_keras_vgg.py} writes, with h5py alone, what tf.keras 2.9
 * saves for keras.applications.VGG16 with random weights (fixed seed): the full model file ({@code model.save}), and
 * the architecture JSON plus a weights-only file ({@code save_weights}, with h5py 2-style fixed-length string
 * attributes), and the softmax output of a numpy forward pass of two random NHWC images. Each form is imported into
 * our vgg16 and its output on the same images (NCHW) must match. The input is 64x96, so the channels-last flatten is
 * 2x3x512 and a wrong row permutation of fc1 (or H and W swapped) shows. Skipped when /usr/bin/python3 has no
 * h5py/numpy (Debian: apt-get install python3-h5py).
 */
class KerasWeightsTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final InputShape INPUT = new InputShape(3, 64, 96);
    private static Path kerasDir;

    @TempDir
    static Path shared;

    @TempDir
    Path dir;

    private final ClassicModel model = ModelRegistry.standard().get("vgg16");

    private ClassifierNetwork ours(InputShape input) {
        return model.create(new ModelSpec(10, input, 1));
    }

    @Test
    void missingFilesAreNamed() {
        ClassifierNetwork ours = ours(new InputShape(3, 32, 32));
        IOException e = assertThrows(IOException.class,
                () -> KerasWeights.loadInto(model, ours, dir.resolve("vgg16.h5")));
        assertTrue(e.getMessage().contains("Keras model file not found") && e.getMessage().contains("vgg16.h5"),
                e.getMessage());
        IOException json = assertThrows(IOException.class,
                () -> KerasWeights.loadInto(model, ours, dir.resolve("vgg16.json"), dir.resolve("w.h5")));
        assertTrue(json.getMessage().contains("Keras architecture JSON not found"), json.getMessage());
    }

    @Test
    void aFileThatIsNotHdf5IsAnIoError() throws IOException {
        Path junk = Files.writeString(dir.resolve("junk.h5"), "not an HDF5 file");
        IOException e = assertThrows(IOException.class,
                () -> KerasWeights.loadInto(model, ours(new InputShape(3, 32, 32)), junk));
        assertTrue(e.getMessage().contains("junk.h5"), e.getMessage());
    }

    /** Generates the Keras files once for the class (about 1.5 s and 350 MB in a temp dir). */
    private static synchronized Path kerasFiles(Path into) throws IOException, InterruptedException {
        if (kerasDir == null) {
            Assumptions.assumeTrue(new File(PYTHON).canExecute(), "no " + PYTHON);
            Process check = new ProcessBuilder(PYTHON, "-c", "import h5py, numpy").redirectErrorStream(true).start();
            Assumptions.assumeTrue(check.waitFor(120, TimeUnit.SECONDS) && check.exitValue() == 0,
                    "python3 has no h5py/numpy (Debian: apt-get install python3-h5py)");
            Path script = into.resolve("make_keras_vgg.py");
            try (InputStream in = KerasWeightsTest.class.getResourceAsStream("/keras/make_keras_vgg.py")) {
                Files.write(script, in.readAllBytes());
            }
            Process p = new ProcessBuilder(PYTHON, script.toString(), "vgg16", INPUT.height() + "x" + INPUT.width(),
                    "10", "20240601", into.toString()).redirectErrorStream(true).start();
            String log = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(600, TimeUnit.SECONDS) && p.exitValue() == 0, "make_keras_vgg.py: " + log);
            kerasDir = into;
        }
        return kerasDir;
    }

    @Test
    void aFullKerasModelFileComputesWhatKerasComputes() throws Exception {
        Path keras = kerasFiles(shared);
        ClassifierNetwork ours = ours(INPUT);
        assertSameOutput(keras, ours, KerasWeights.loadInto(model, ours, keras.resolve("model.h5")));
    }

    @Test
    void architectureJsonPlusWeightsOnlyFileComputesWhatKerasComputes() throws Exception {
        Path keras = kerasFiles(shared);
        ClassifierNetwork ours = ours(INPUT);
        assertSameOutput(keras, ours,
                KerasWeights.loadInto(model, ours, keras.resolve("model.json"), keras.resolve("weights.h5")));
    }

    private static void assertSameOutput(Path keras, ClassifierNetwork ours, Dl4jZooWeights.Report report)
            throws IOException {
        assertEquals(ours.numParams(), report.parametersCopied(), report.toString());
        assertTrue(report.denseRowsPermuted(), report.toString());
        assertTrue(report.naming().startsWith("Keras"), report.toString());
        INDArray nhwc = NpyArrays.read(keras.resolve("x.npy"));
        INDArray expected = NpyArrays.read(keras.resolve("y.npy"));
        INDArray actual = ours.output(nhwc.permute(0, 3, 1, 2).dup('c'), false);
        assertArrayEquals(expected.shape(), actual.shape());
        double scale = Transforms.abs(expected).maxNumber().doubleValue();
        double maxDiff = Transforms.abs(actual.sub(expected)).maxNumber().doubleValue();
        assertTrue(maxDiff / scale < 1e-4, "max |ours - keras| / max |keras| = " + maxDiff / scale + "\nours\n"
                + actual + "\nkeras (numpy)\n" + expected + "\n" + report);
    }
}
