package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.zoo.weights.NpyArrays;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import io.github.dl4jclassics.zoo.weights.Predictor;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/** .npy/.npz reading and writing, weight mapping errors, and logits (no PyTorch needed). */
class WeightsTest {

    @TempDir
    Path dir;

    @Test
    void npyRoundTripKeepsShapeAndValues() throws Exception {
        INDArray a = Nd4j.rand(DataType.FLOAT, 2, 3, 4, 5);
        Path f = dir.resolve("a.npy");
        NpyArrays.write(f, a);
        byte[] bytes = Files.readAllBytes(f);
        assertThat((bytes.length - 4 * 120) % 64).as("header padded to 64 bytes").isZero();
        INDArray b = NpyArrays.read(f);
        assertThat(b.shape()).containsExactly(2, 3, 4, 5);
        assertThat(b.equalsWithEps(a, 0)).isTrue();
    }

    @Test
    void readsFortranOrderFloat64() throws Exception {
        // [[1, 2, 3], [4, 5, 6]] stored column-major as float64: 1 4 2 5 3 6
        String dict = "{'descr': '<f8', 'fortran_order': True, 'shape': (2, 3), }";
        String header = dict + " ".repeat(128 - 10 - dict.length() - 1) + "\n";
        ByteBuffer buf = ByteBuffer.allocate(10 + header.length() + 48).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}).putShort((short) header.length());
        buf.put(header.getBytes(StandardCharsets.ISO_8859_1));
        for (double v : new double[] {1, 4, 2, 5, 3, 6}) {
            buf.putDouble(v);
        }
        Path f = dir.resolve("f.npy");
        Files.write(f, buf.array());
        INDArray a = NpyArrays.read(f);
        assertThat(a.getFloat(0, 2)).isEqualTo(3f);
        assertThat(a.getFloat(1, 0)).isEqualTo(4f);
    }

    @Test
    void orderMappingRoundTripsAndTransposesDenseWeights() throws Exception {
        ClassicModel model = ModelRegistry.standard().get("lenet5");
        ModelSpec spec = model.defaultSpec(1);
        ClassifierNetwork source = model.create(spec);
        Path npz = dir.resolve("w.npz");
        NpzWeights.write(source, npz);
        NpzWeights weights = NpzWeights.read(npz);
        assertThat(weights.arrays().get("fc1.weight").shape()).containsExactly(120, 400);
        assertThat(weights.numClasses()).isEqualTo(10);

        ClassifierNetwork target = model.create(new ModelSpec(10, spec.input(), 99));
        assertThat(target.params().equalsWithEps(source.params(), 0)).isFalse();
        weights.loadInto(model, target);
        assertThat(target.params().equalsWithEps(source.params(), 0)).isTrue();
    }

    @Test
    void nameMappingCarriesBatchNormStatistics() throws Exception {
        ClassicModel model = ModelRegistry.standard().get("resnet18");
        ModelSpec spec = new ModelSpec(6, new InputShape(3, 32, 32), 1);
        ClassifierNetwork source = model.create(spec);
        source.graph().getLayer("layer1.0.bn1").getParam("var").assign(2.5);
        Path npz = dir.resolve("r.npz");
        NpzWeights.write(source, npz);
        NpzWeights weights = NpzWeights.read(npz);
        assertThat(weights.arrays()).containsKeys("conv1.weight", "bn1.running_var", "layer2.0.downsample.0.weight",
                "layer1.0.bn1.running_mean", "fc.weight", "fc.bias");
        assertThat(weights.arrays()).doesNotContainKey("conv1.bias");
        ClassifierNetwork target = model.create(new ModelSpec(6, spec.input(), 2));
        weights.loadInto(model, target);
        assertThat(target.graph().getLayer("layer1.0.bn1").getParam("var").getDouble(0)).isEqualTo(2.5);
        assertThat(target.params().equalsWithEps(source.params(), 0)).isTrue();
    }

    @Test
    void mismatchesNameKeyExpectedAndFoundShapes() throws Exception {
        ClassicModel resnet = ModelRegistry.standard().get("resnet18");
        ModelSpec spec = new ModelSpec(6, new InputShape(3, 32, 32), 1);
        Path good = dir.resolve("good.npz");
        NpzWeights.write(resnet.create(spec), good);
        Map<String, INDArray> arrays = NpzWeights.read(good).arrays();
        // Every mismatch is reported before anything is assigned, so one target network serves all cases.
        ClassifierNetwork target = resnet.create(spec);

        Path missing = rewrite(arrays, "bn1.running_var", null, null);
        assertThatThrownBy(() -> NpzWeights.read(missing).loadInto(resnet, target))
                .hasMessageContaining("'resnet18'").hasMessageContaining("missing key 'bn1.running_var'")
                .hasMessageContaining("[64]");
        Path extra = rewrite(arrays, null, "head.weight", Nd4j.zeros(DataType.FLOAT, 3, 3));
        assertThatThrownBy(() -> NpzWeights.read(extra).loadInto(resnet, target))
                .hasMessageContaining("extra key 'head.weight'");
        Path wrong = rewrite(arrays, "fc.weight", "fc.weight", Nd4j.zeros(DataType.FLOAT, 10, 512));
        assertThatThrownBy(() -> NpzWeights.read(wrong).loadInto(resnet, target))
                .hasMessageContaining("key 'fc.weight': expected shape [6, 512], found [10, 512]");

        ClassicModel lenet = ModelRegistry.standard().get("lenet5");
        assertThatThrownBy(() -> NpzWeights.read(good).loadInto(lenet, lenet.create(lenet.defaultSpec(1))))
                .hasMessageContaining("'lenet5'").hasMessageContaining("registration order")
                .hasMessageContaining("key 'conv1.weight' (tensor #0, for DL4J conv1/W): expected shape [6, 3, 5, 5],"
                        + " found [64, 3, 7, 7]");
    }

    @Test
    void predictReturnsPreSoftmaxLogits() throws Exception {
        ClassicModel model = ModelRegistry.standard().get("alexnet-scene");
        ModelSpec spec = new ModelSpec(6, new InputShape(3, 32, 32), 3);
        ClassifierNetwork net = model.create(spec);
        Path npz = dir.resolve("a.npz");
        NpzWeights.write(net, npz);
        INDArray x = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 32);
        Path xFile = dir.resolve("x.npy");
        NpyArrays.write(xFile, x);
        INDArray logits = Predictor.predict("alexnet-scene", npz, xFile, dir.resolve("y.npy"));
        assertThat(logits.shape()).containsExactly(3, 6);
        INDArray probabilities = net.output(x, false);
        INDArray softmaxOfLogits = Transforms.softmax(logits, true);
        assertThat(softmaxOfLogits.equalsWithEps(probabilities, 1e-5)).isTrue();
        assertThat(NpyArrays.read(dir.resolve("y.npy")).equalsWithEps(logits, 0)).isTrue();
    }

    private Path rewrite(Map<String, INDArray> arrays, String drop, String addKey, INDArray addValue) throws Exception {
        Path f = Files.createTempFile(dir, "w", ".npz");
        try (ZipOutputStream zip = new ZipOutputStream(Files.newOutputStream(f))) {
            zip.setLevel(java.util.zip.Deflater.NO_COMPRESSION);
            for (Map.Entry<String, INDArray> e : arrays.entrySet()) {
                if (e.getKey().equals(drop)) {
                    continue;
                }
                put(zip, e.getKey(), e.getValue());
            }
            if (addKey != null) {
                put(zip, addKey, addValue);
            }
        }
        return f;
    }

    private static void put(ZipOutputStream zip, String key, INDArray value) throws Exception {
        zip.putNextEntry(new ZipEntry(key + ".npy"));
        OutputStream out = zip;
        NpyArrays.write(out, value);
        zip.closeEntry();
    }
}
