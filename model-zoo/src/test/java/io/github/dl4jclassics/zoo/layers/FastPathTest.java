package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.layers.mkldnn.BaseMKLDNNHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNBatchNormHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNConvHelper;
import org.deeplearning4j.nn.layers.mkldnn.MKLDNNSubsamplingHelper;
import org.deeplearning4j.nn.layers.normalization.BatchNormalization;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Fails if training silently leaves the oneDNN fast path: helper flag off, oneDNN native jar missing from the
 * classpath, or the {@code org.nd4j.nativeblas.Nd4jCpu} compatibility class gone (DL4J then drops every helper as
 * "not supported" without an error). CPU-only: skipped, not failed, on another backend ({@code mvn verify -Pcuda}).
 */
class FastPathTest {

    @BeforeAll
    static void enable() {
        String backend = FastPath.enable().backend();
        assumeTrue("CPU".equalsIgnoreCase(backend), "the oneDNN fast path is CPU-only; ND4J runs on " + backend);
    }

    @Test
    void fastPathIsComplete() {
        FastPath.Status status = FastPath.status();
        assertThat(status.helpersEnabled()).as("layer helpers (" + FastPath.HELPERS_PROPERTY + "=false)").isTrue();
        assertThat(status.oneDnnBuild()).as("libnd4j of the linux-x86_64-onednn classifier loaded").isTrue();
        assertThat(status.oneDnnHelpersUsable()).as("compatibility class answers isUseMKLDNN()").isTrue();
    }

    @Test
    void dl4jSeesOneDnn() throws Exception {
        assertThat(Class.forName("org.nd4j.nativeblas.Nd4jCpu$Environment")).isNotNull();
        assertThat(BaseMKLDNNHelper.mklDnnEnabled()).as("BaseMKLDNNHelper.mklDnnEnabled()").isTrue();
    }

    @Test
    void zooConvolutionAndPoolingUseOneDnnHelpers() {
        ClassifierNetwork net = ModelRegistry.standard().get("lenet5").create(ModelRegistry.standard().get("lenet5").defaultSpec(1));
        Layer[] layers = net.multiLayer().getLayers();
        assertThat(layers[0]).isInstanceOf(ConvolutionLayer.class);
        assertThat(layers[0].getHelper()).as("conv helper").isInstanceOf(MKLDNNConvHelper.class);
        assertThat(layers[1]).isInstanceOf(SubsamplingLayer.class);
        assertThat(layers[1].getHelper()).as("pooling helper").isInstanceOf(MKLDNNSubsamplingHelper.class);
    }

    @Test
    void batchNormUsesOneDnnHelper() {
        var model = ModelRegistry.standard().get("resnet18");
        ModelSpec spec = new ModelSpec(6, InputShape.parse("3x64x64"), 1);
        ClassifierNetwork net = model.create(spec);
        Layer[] layers = net.isGraph() ? net.graph().getLayers() : net.multiLayer().getLayers();
        long batchNorms = 0;
        for (Layer layer : layers) {
            if (layer instanceof BatchNormalization) {
                batchNorms++;
                assertThat(layer.getHelper()).as("batch norm helper").isInstanceOf(MKLDNNBatchNormHelper.class);
            }
        }
        assertThat(batchNorms).isPositive();
    }
}
