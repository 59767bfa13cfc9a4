package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;

/** Every model id builds at its default input and fits one batch of random data (DL4J zoo TestInstantiation). */
class ModelFitTest {

    @ParameterizedTest
    @ValueSource(strings = {"lenet5", "lenet-scene", "alexnet2-cifar100", "alexnet1-cifar100", "alexnet-cifar10-128",
            "custom-lenet-scene", "alexnet-scene", "resnet18"})
    void fitsOneBatch(String id) {
        fitOneBatch(id, 2);
    }

    @Tag("slow")
    @ParameterizedTest
    @ValueSource(strings = {"alexnet", "vggnet-cifar10-128", "vgg11", "vgg11-lrn", "vgg13", "vgg16-c", "vgg16", "vgg19",
            "vgg11-bn", "vgg13-bn", "vgg16-bn", "vgg19-bn", "resnet34", "resnet50", "resnet101", "resnet152"})
    void bigModelsFitOneBatch(String id) {
        fitOneBatch(id, 1);
    }

    private static void fitOneBatch(String id, int batch) {
        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = model.defaultSpec(42);
        ClassifierNetwork net = model.create(spec);
        InputShape in = spec.input();
        assertThat(net.numParams()).isEqualTo(ModelSummary.of(model, spec).numParams());

        INDArray x = Nd4j.rand(batch, in.channels(), in.height(), in.width());
        INDArray y = Nd4j.zeros(batch, spec.numClasses());
        for (int i = 0; i < batch; i++) {
            y.putScalar(i, i % spec.numClasses(), 1.0);
        }
        INDArray before = net.params().dup();
        net.fit(new DataSet(x, y));
        assertThat(Double.isFinite(net.score())).as(id + " loss after one step").isTrue();
        assertThat(net.params().equalsWithEps(before, 0)).as(id + " parameters changed").isFalse();
        INDArray out = net.output(x, false);
        assertThat(out.shape()).containsExactly(batch, spec.numClasses());
        assertThat(out.sum(1).getDouble(0)).as("softmax rows sum to 1").isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-4));
    }
}
