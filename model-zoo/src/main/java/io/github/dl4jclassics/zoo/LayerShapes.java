package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;

/**
 * Walks a network configuration layer by layer with input and output types, in forward order. Used for summaries
 * and for checking that every layer is valid for an input: DL4J's shape inference lets some too-small inputs through
 * (a pooling window larger than its input gives size 0 or, by integer division, 1 where PyTorch fails).
 */
public final class LayerShapes {

    /** One layer or vertex; {@code layer} is null for non-layer vertices (e.g. the residual sum). */
    public record Step(String name, NeuralNetConfiguration layer, GraphVertex vertex, InputType input, InputType output) {
    }

    private LayerShapes() {
    }

    public static List<Step> walk(NetworkConfiguration configuration, InputShape in) {
        InputType inputType = InputType.convolutional(in.height(), in.width(), in.channels());
        List<Step> steps = new ArrayList<>();
        if (configuration instanceof NetworkConfiguration.Sequential chain) {
            MultiLayerConfiguration mlc = chain.dl4j();
            InputType current = inputType;
            for (int i = 0; i < mlc.getConfs().size(); i++) {
                InputPreProcessor pre = mlc.getInputPreProcess(i);
                if (pre != null) {
                    current = pre.getOutputType(current);
                }
                NeuralNetConfiguration layerConf = mlc.getConf(i);
                InputType out = layerConf.getLayer().getOutputType(i, current);
                steps.add(new Step(layerConf.getLayer().getLayerName(), layerConf, null, current, out));
                current = out;
            }
        } else {
            ComputationGraphConfiguration cgc = ((NetworkConfiguration.Graph) configuration).dl4j();
            Map<String, InputType> types = cgc.getLayerActivationTypes(false, inputType);
            for (Map.Entry<String, InputType> e : types.entrySet()) {
                GraphVertex vertex = cgc.getVertices().get(e.getKey());
                if (vertex == null) {
                    continue; // a network input
                }
                List<String> inputs = cgc.getVertexInputs().get(e.getKey());
                InputType input = inputs == null || inputs.isEmpty() ? null : types.get(inputs.get(0));
                if (vertex instanceof LayerVertex lv) {
                    if (input != null && lv.getPreProcessor() != null) {
                        input = lv.getPreProcessor().getOutputType(input);
                    }
                    steps.add(new Step(e.getKey(), lv.getLayerConf(), vertex, input, e.getValue()));
                } else {
                    steps.add(new Step(e.getKey(), null, vertex, input, e.getValue()));
                }
            }
        }
        return steps;
    }

    /** Why the first invalid layer is invalid for this input (PyTorch's rules), or null when all are valid. */
    public static String firstInvalid(NetworkConfiguration configuration, InputShape in) {
        for (Step s : walk(configuration, in)) {
            String type = s.layer() != null ? s.layer().getLayer().getClass().getSimpleName()
                    : s.vertex().getClass().getSimpleName();
            if (s.layer() != null && s.input() instanceof InputType.InputTypeConvolutional c) {
                int[] k = null;
                int[] p = null;
                int[] d = {1, 1};
                if (s.layer().getLayer() instanceof ConvolutionLayer conv) {
                    k = conv.getKernelSize();
                    p = conv.getPadding();
                    d = conv.getDilation();
                } else if (s.layer().getLayer() instanceof SubsamplingLayer pool) {
                    k = pool.getKernelSize();
                    p = pool.getPadding();
                    d = pool.getDilation();
                }
                if (k != null) {
                    long needH = (long) d[0] * (k[0] - 1) + 1;
                    long needW = (long) d[1] * (k[1] - 1) + 1;
                    if (c.getHeight() + 2L * p[0] < needH || c.getWidth() + 2L * p[1] < needW) {
                        return "layer '" + s.name() + "' (" + type + ", kernel " + k[0] + "x" + k[1] + ", padding "
                                + p[0] + ") gets " + c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth();
                    }
                }
            }
            // Only image outputs: DL4J reports a LossLayer's output as size 0 although it passes its input through.
            if (s.output() instanceof InputType.InputTypeConvolutional && s.output().arrayElementsPerExample() <= 0) {
                return "layer '" + s.name() + "' (" + type + ") would output " + s.output();
            }
        }
        return null;
    }
}
