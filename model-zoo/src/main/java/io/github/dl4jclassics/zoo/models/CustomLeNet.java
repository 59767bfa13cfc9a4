package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static io.github.dl4jclassics.zoo.models.Layers.conv;
import static io.github.dl4jclassics.zoo.models.Layers.dense;
import static io.github.dl4jclassics.zoo.models.Layers.maxPool;
import static io.github.dl4jclassics.zoo.models.Layers.output;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkDefaults;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.nd4j.linalg.activations.Activation;

/** The 003 note's "CustomLeNet": three wide conv + max-pool stages with no activation, then two dense layers. */
public final class CustomLeNet extends BaseClassicModel {

    public CustomLeNet() {
        super("custom-lenet-scene",
                "CustomLeNet of the 003 note: conv 128@8, max-pool 2; conv 256@8, max-pool 2; conv 512@4, max-pool 2;"
                        + " dense 4096 ReLU; dense classes. As the note's code is written, the convolutions have no"
                        + " activation (its forward() applies none), so the conv stack is linear up to the max pools."
                        + " At 3x64x64 the flatten is 512*3*3 = 4608.",
                "seed 003 (Scene classification, CustomLeNet)", new InputShape(3, 64, 64), 6);
    }

    @Override
    protected NetworkConfiguration build(ModelSpec spec) {
        InputShape in = spec.input();
        return NetworkConfiguration.of(NetworkDefaults.builder(spec)
                .list()
                .layer(conv("conv1", 128, 8, 1, 0, Activation.IDENTITY))
                .layer(maxPool("pool1", 2, 2))
                .layer(conv("conv2", 256, 8, 1, 0, Activation.IDENTITY))
                .layer(maxPool("pool2", 2, 2))
                .layer(conv("conv3", 512, 4, 1, 0, Activation.IDENTITY))
                .layer(maxPool("pool3", 2, 2))
                .layer(dense("fc1", 4096, Activation.RELU, 1).build())
                .layer(output("fc2", spec.numClasses(), 1).build())
                .setInputType(InputType.convolutional(in.height(), in.width(), in.channels()))
                .build());
    }
}
