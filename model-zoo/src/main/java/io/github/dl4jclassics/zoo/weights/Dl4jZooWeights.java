package io.github.dl4jclassics.zoo.weights;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.modelimport.keras.preprocessors.TensorFlowCnnToFeedForwardPreProcessor;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Parameters of a DL4J model-zoo file (a {@code ModelSerializer} zip such as {@code vgg16_dl4j_inference.zip}, the
 * file {@code org.deeplearning4j.zoo.model.VGG16.initPretrained()} downloads; here always read from a local path)
 * copied into this project's model of the same architecture.
 *
 * <p>Supported: {@code vgg16} from a DL4J zoo VGG16 file and {@code vgg19} from a VGG19 file. The zoo's
 * parameterised layers are matched with ours in forward order, and each must carry the name of an explicit table:
 * either the Keras names of the pretrained files ({@code block1_conv1 ... block5_conv3, fc1, fc2, predictions}) or
 * the layer indices that {@code VGG16.conf()} gives ({@code "0", "1", "3", ...}); a file whose names fit neither is
 * refused. (DL4J's {@code VGG19.conf()} has one dense 4096 layer, not two: a file built from it is refused for
 * {@code vgg19} with that reason.) Every parameter's shape is checked, and so are layer kind, kernel, stride, padding,
 * convolution mode and activation; any mismatch is an error naming the zoo layer and param, our layer, and the
 * expected and found shapes or settings. Nothing is skipped: a missing or extra layer or parameter is an error.
 *
 * <p>Flatten order: DL4J dense weights are [in, out] on both sides, so only the rows of the first dense layer can
 * differ. Ours flattens NCHW activations in C order (index {@code (c*H + h)*W + w}). The zoo graph's flatten is read
 * from its configuration: a {@link CnnToFeedForwardPreProcessor} in NCHW format (what {@code VGG16.conf()} builds)
 * has the same order, and the rows are copied as they are; a Keras channels-last flatten
 * ({@link TensorFlowCnnToFeedForwardPreProcessor}, or {@code CnnToFeedForwardPreProcessor} with format NHWC, which
 * KerasModelImport makes for TensorFlow dim ordering) uses {@code (h*W + w)*C + c}, and the rows are permuted to
 * channel-major. Any other preprocessor in front of the first dense layer is refused.
 *
 * <p>ResNet: the DL4J zoo ResNet50 is refused for {@code resnet50}; its function is not torchvision's (stride 2
 * already in stage 2, stride on the 1x1 instead of the 3x3 conv, biased convs, a 3x3 max pool called "avgpool" in
 * place of global average pooling), so its weights would load into our graph with the right shapes but compute
 * something else. The error lists the differences found in the file.
 */
public final class Dl4jZooWeights {

    /** What was copied: one line per parameterised layer, and whether the first dense layer's rows were permuted. */
    public record Report(String modelId, String zooFile, String naming, String flattenOrder, boolean denseRowsPermuted,
            long parametersCopied, List<String> layers) {

        @Override
        public String toString() {
            return "loaded " + parametersCopied + " parameters from DL4J zoo file " + zooFile + " into " + modelId
                    + " (zoo names: " + naming + "; zoo flatten " + flattenOrder
                    + (denseRowsPermuted ? ", first dense layer's rows permuted to NCHW order" : ", same as ours")
                    + "):\n  " + String.join("\n  ", layers);
        }
    }

    /** Names of the Keras VGG16 application layers (those of the DL4J pretrained VGG16 file). */
    public static final List<String> KERAS_VGG16 = List.of("block1_conv1", "block1_conv2", "block2_conv1",
            "block2_conv2", "block3_conv1", "block3_conv2", "block3_conv3", "block4_conv1", "block4_conv2",
            "block4_conv3", "block5_conv1", "block5_conv2", "block5_conv3", "fc1", "fc2", "predictions");

    /** Names of the Keras VGG19 application layers. */
    public static final List<String> KERAS_VGG19 = List.of("block1_conv1", "block1_conv2", "block2_conv1",
            "block2_conv2", "block3_conv1", "block3_conv2", "block3_conv3", "block3_conv4", "block4_conv1",
            "block4_conv2", "block4_conv3", "block4_conv4", "block5_conv1", "block5_conv2", "block5_conv3",
            "block5_conv4", "fc1", "fc2", "predictions");

    /** Vertex names of the parameterised layers of {@code VGG16.conf()} (layers are added by index). */
    public static final List<String> ZOO_CONF_VGG16 = List.of("0", "1", "3", "4", "6", "7", "8", "10", "11", "12",
            "14", "15", "16", "18", "19", "20");

    /**
     * Vertex names of the parameterised layers of {@code VGG19.conf()} in DL4J 1.0.0-M2.1: it has a single dense
     * layer of 4096 ("21") before the output ("22"), unlike VGG configuration E and the Keras VGG19 (fc1, fc2,
     * predictions), so a file built from it is refused for {@code vgg19}.
     */
    public static final List<String> ZOO_CONF_VGG19_SINGLE_FC = List.of("0", "1", "3", "4", "6", "7", "8", "9",
            "11", "12", "13", "14", "16", "17", "18", "19", "21", "22");

    private Dl4jZooWeights() {
    }

    /** Reads a DL4J zoo file ({@code ModelSerializer} zip, graph or multi-layer) and loads it into {@code target}. */
    public static Report loadInto(ClassicModel model, ClassifierNetwork target, Path zooFile) throws IOException {
        if (!Files.isRegularFile(zooFile)) {
            throw new IOException("DL4J zoo file not found: " + zooFile);
        }
        ClassifierNetwork zoo;
        try {
            zoo = ClassifierNetwork.load(zooFile.toFile(), false);
        } catch (IOException e) {
            throw e;
        } catch (RuntimeException e) {
            throw new IOException(zooFile + " is not a readable DL4J ModelSerializer zip: " + e.getMessage(), e);
        }
        return loadInto(model, target, zoo, zooFile.toString());
    }

    /** Loads the parameters of an already restored zoo network (e.g. {@code new VGG16(...).init()}). */
    public static Report loadInto(ClassicModel model, ClassifierNetwork target, ClassifierNetwork zoo, String zooName) {
        String id = model.id();
        if (id.startsWith("resnet")) {
            throw new IllegalArgumentException(resnetRefusal(id, zoo, zooName));
        }
        List<String> keras;
        List<String> confNames;
        switch (id) {
            case "vgg16" -> {
                keras = KERAS_VGG16;
                confNames = ZOO_CONF_VGG16;
            }
            case "vgg19" -> {
                keras = KERAS_VGG19;
                confNames = null;
            }
            default -> throw new IllegalArgumentException("no DL4J zoo weights fit model '" + id + "': the DL4J zoo"
                    + " files that map onto this project's models are VGG16 (-> vgg16) and VGG19 (-> vgg19); ResNet50"
                    + " is a different function from torchvision's resnet50, and the zoo has no ResNet18");
        }
        List<Layer> zooLayers = NpzWeights.parameterLayers(zoo);
        List<Layer> ours = NpzWeights.parameterLayers(target);
        List<String> zooNames = zooLayers.stream().map(l -> l.conf().getLayer().getLayerName()).toList();
        String naming;
        if (zooNames.equals(keras)) {
            naming = "Keras (" + keras.get(0) + " ... " + keras.get(keras.size() - 1) + ")";
        } else if (id.equals("vgg19") && zooNames.equals(ZOO_CONF_VGG19_SINGLE_FC)) {
            throw new IllegalArgumentException("DL4J zoo file " + zooName + " does not fit model 'vgg19': it is"
                    + " built from DL4J's VGG19.conf(), which has a single dense layer of 4096 ('21') before the"
                    + " output ('22'); VGG configuration E (and the Keras-imported pretrained VGG19: fc1, fc2,"
                    + " predictions) has two. Its 18 parameterised layers are " + zooNames);
        } else if (confNames != null && zooNames.equals(confNames)) {
            naming = "zoo conf() layer indices (" + confNames.get(0) + " ... " + confNames.get(confNames.size() - 1)
                    + ")";
        } else {
            throw new IllegalArgumentException("DL4J zoo file " + zooName + " does not fit model '" + id + "': its "
                    + zooNames.size() + " parameterised layers are " + zooNames + "; expected the " + keras.size()
                    + " layers " + keras + " (Keras names)" + (confNames == null ? "" : " or " + confNames
                            + " (DL4J zoo conf() names)"));
        }
        if (ours.size() != keras.size()) {
            throw new IllegalArgumentException("model '" + id + "' has " + ours.size() + " parameterised layers, the"
                    + " zoo file " + keras.size());
        }

        List<String> problems = new ArrayList<>();
        int firstDense = -1;
        for (int i = 0; i < ours.size(); i++) {
            org.deeplearning4j.nn.conf.layers.Layer z = zooLayers.get(i).conf().getLayer();
            org.deeplearning4j.nn.conf.layers.Layer o = ours.get(i).conf().getLayer();
            String where = "zoo layer '" + z.getLayerName() + "' (" + keras.get(i) + ") -> ours '" + o.getLayerName()
                    + "'";
            compareLayers(where, z, o, problems);
            if (firstDense < 0 && z instanceof DenseLayer) {
                firstDense = i;
            }
        }
        if (firstDense < 0) {
            problems.add("no dense layer in the zoo file");
        }
        fail(problems, zooName, id);

        // Flatten order in front of the first dense layer.
        String denseName = zooNames.get(firstDense);
        CnnToFeedForwardPreProcessor flatten = flattenBefore(zoo, denseName, zooName);
        boolean channelsLast = flatten instanceof TensorFlowCnnToFeedForwardPreProcessor
                || flatten.getFormat() == CNN2DFormat.NHWC;
        String order = (channelsLast ? "channels-last (h, w, c)" : "channels-first (c, h, w)") + " via "
                + flatten.getClass().getSimpleName() + (flatten instanceof TensorFlowCnnToFeedForwardPreProcessor
                        ? "" : " " + flatten.getFormat());

        // Shapes of every parameter, after the permutation where one applies.
        List<INDArray> values = new ArrayList<>();
        List<INDArray> destinations = new ArrayList<>();
        List<String> lines = new ArrayList<>();
        long copied = 0;
        for (int i = 0; i < ours.size(); i++) {
            Layer zl = zooLayers.get(i);
            Layer ol = ours.get(i);
            String zName = zooNames.get(i);
            String oName = ol.conf().getLayer().getLayerName();
            Map<String, INDArray> zp = zl.paramTable();
            Map<String, INDArray> op = ol.paramTable();
            for (String key : zp.keySet()) {
                if (!op.containsKey(key)) {
                    problems.add("zoo layer '" + zName + "' param " + key + " (shape " + Arrays.toString(zp.get(key).shape())
                            + ") has no counterpart in our layer '" + oName + "' (params " + op.keySet() + ")");
                }
            }
            List<String> shapes = new ArrayList<>();
            for (Map.Entry<String, INDArray> e : op.entrySet()) {
                String key = e.getKey();
                INDArray dest = e.getValue();
                INDArray src = zp.get(key);
                if (src == null) {
                    problems.add("missing param " + key + " in zoo layer '" + zName + "' (" + keras.get(i)
                            + "), expected shape " + Arrays.toString(dest.shape()) + " for our '" + oName + "'");
                    continue;
                }
                if (!Arrays.equals(src.shape(), dest.shape())) {
                    problems.add("zoo layer '" + zName + "' (" + keras.get(i) + ") param " + key + ": expected shape "
                            + Arrays.toString(dest.shape()) + " (our '" + oName + "'), found "
                            + Arrays.toString(src.shape()));
                    continue;
                }
                INDArray value = src;
                if (i == firstDense && key.equals("W") && channelsLast) {
                    value = hwcRowsToChw(src, flatten, zName, problems);
                    if (value == null) {
                        continue;
                    }
                }
                values.add(value);
                destinations.add(dest);
                shapes.add(key + Arrays.toString(dest.shape()));
                copied += dest.length();
            }
            boolean nhwc = zl.conf().getLayer() instanceof ConvolutionLayer zc && zc.getCnn2dDataFormat() == CNN2DFormat.NHWC;
            lines.add(zName + " (" + keras.get(i) + ") -> " + oName + " " + String.join(" ", shapes)
                    + (nhwc ? " (zoo layer runs on NHWC activations; weights are [out, in, kh, kw] either way)" : "")
                    + (i == firstDense && channelsLast ? " (rows permuted h,w,c -> c,h,w)" : ""));
        }
        fail(problems, zooName, id);
        for (int i = 0; i < values.size(); i++) {
            destinations.get(i).assign(values.get(i));
        }
        return new Report(id, zooName, naming, order, channelsLast, copied, List.copyOf(lines));
    }

    private static void compareLayers(String where, org.deeplearning4j.nn.conf.layers.Layer z,
            org.deeplearning4j.nn.conf.layers.Layer o, List<String> problems) {
        String zk = kind(z);
        String ok = kind(o);
        if (!zk.equals(ok)) {
            problems.add(where + ": expected a " + ok + " layer, found " + zk + " (" + z.getClass().getSimpleName() + ")");
            return;
        }
        if (z instanceof ConvolutionLayer zc && o instanceof ConvolutionLayer oc) {
            check(where, "kernel", oc.getKernelSize(), zc.getKernelSize(), problems);
            check(where, "stride", oc.getStride(), zc.getStride(), problems);
            check(where, "padding", effectivePadding(oc), effectivePadding(zc), problems);
            check(where, "dilation", oc.getDilation(), zc.getDilation(), problems);
            if (effectiveMode(zc) != effectiveMode(oc)) {
                problems.add(where + ": expected convolution mode " + oc.getConvolutionMode() + ", found "
                        + zc.getConvolutionMode());
            }
            if (zc.hasBias() != oc.hasBias()) {
                problems.add(where + ": expected " + (oc.hasBias() ? "a bias" : "no bias") + ", found "
                        + (zc.hasBias() ? "a bias" : "none"));
            }
        }
        if (z instanceof BaseLayer zb && o instanceof BaseLayer ob
                && !Objects.equals(String.valueOf(zb.getActivationFn()), String.valueOf(ob.getActivationFn()))) {
            problems.add(where + ": expected activation " + ob.getActivationFn() + ", found " + zb.getActivationFn());
        }
    }

    /** Keras "same" padding at stride 1 and dilation 1 with an odd kernel is explicit padding (k-1)/2. */
    private static boolean sameIsExplicit(ConvolutionLayer c) {
        return c.getConvolutionMode() == org.deeplearning4j.nn.conf.ConvolutionMode.Same
                && Arrays.stream(c.getStride()).allMatch(v -> v == 1) && Arrays.stream(c.getDilation()).allMatch(v -> v == 1)
                && Arrays.stream(c.getKernelSize()).allMatch(v -> v % 2 == 1);
    }

    private static int[] effectivePadding(ConvolutionLayer c) {
        return sameIsExplicit(c) ? Arrays.stream(c.getKernelSize()).map(k -> (k - 1) / 2).toArray() : c.getPadding();
    }

    private static org.deeplearning4j.nn.conf.ConvolutionMode effectiveMode(ConvolutionLayer c) {
        return sameIsExplicit(c) || c.getConvolutionMode() == org.deeplearning4j.nn.conf.ConvolutionMode.Strict
                ? org.deeplearning4j.nn.conf.ConvolutionMode.Truncate : c.getConvolutionMode();
    }

    private static String kind(org.deeplearning4j.nn.conf.layers.Layer l) {
        if (l instanceof ConvolutionLayer) {
            return "convolution";
        }
        // A Keras import may keep the classifier a DenseLayer (softmax activation) rather than an OutputLayer;
        // both hold W [in, out] and b, and the activations are compared.
        if (l instanceof BaseOutputLayer || l instanceof DenseLayer) {
            return "dense";
        }
        return l.getClass().getSimpleName();
    }

    private static void check(String where, String what, int[] expected, int[] found, List<String> problems) {
        if (!Arrays.equals(expected, found)) {
            problems.add(where + ": expected " + what + " " + Arrays.toString(expected) + ", found "
                    + Arrays.toString(found));
        }
    }

    /** The CNN-to-dense preprocessor on the path into {@code denseName}, or an error if there is none or another. */
    static CnnToFeedForwardPreProcessor flattenBefore(ClassifierNetwork zoo, String denseName, String zooName) {
        List<InputPreProcessor> found = new ArrayList<>();
        if (zoo.isGraph()) {
            ComputationGraphConfiguration conf = zoo.graph().getConfiguration();
            String current = denseName;
            while (current != null) {
                GraphVertex v = conf.getVertices().get(current);
                if (v instanceof LayerVertex lv) {
                    if (lv.getPreProcessor() != null) {
                        found.add(lv.getPreProcessor());
                    }
                    org.deeplearning4j.nn.conf.layers.Layer l = lv.getLayerConf().getLayer();
                    if (!current.equals(denseName) && (l instanceof ConvolutionLayer || l instanceof SubsamplingLayer)) {
                        break;
                    }
                } else if (v instanceof PreprocessorVertex pv) {
                    found.add(pv.getPreProcessor());
                } else if (v != null) {
                    throw new IllegalArgumentException("DL4J zoo file " + zooName + ": vertex '" + current + "' ("
                            + v.getClass().getSimpleName() + ") between the convolutions and dense layer '" + denseName
                            + "' is not understood; refusing to guess the flatten order");
                }
                List<String> inputs = conf.getVertexInputs().get(current);
                if (inputs == null || inputs.isEmpty()) {
                    break;
                }
                if (inputs.size() != 1) {
                    throw new IllegalArgumentException("DL4J zoo file " + zooName + ": vertex '" + current + "' has "
                            + inputs.size() + " inputs " + inputs + "; expected a chain in front of '" + denseName + "'");
                }
                current = inputs.get(0);
            }
        } else {
            var layers = zoo.multiLayer().getLayers();
            for (int i = 0; i < layers.length; i++) {
                if (denseName.equals(layers[i].conf().getLayer().getLayerName())) {
                    for (int j = i; j >= 0; j--) {
                        InputPreProcessor p = zoo.multiLayer().getLayerWiseConfigurations().getInputPreProcess(j);
                        if (p != null) {
                            found.add(p);
                        }
                        org.deeplearning4j.nn.conf.layers.Layer l = layers[j].conf().getLayer();
                        if (j < i && (l instanceof ConvolutionLayer || l instanceof SubsamplingLayer)) {
                            break;
                        }
                    }
                }
            }
        }
        List<InputPreProcessor> flattens = found.stream().filter(p -> p instanceof CnnToFeedForwardPreProcessor).toList();
        if (flattens.size() != 1 || found.size() != 1) {
            throw new IllegalArgumentException("DL4J zoo file " + zooName + ": expected exactly one CNN-to-dense"
                    + " flatten in front of dense layer '" + denseName + "', found " + found.stream()
                            .map(p -> p.getClass().getSimpleName()).toList()
                    + "; refusing to guess the order of its input features");
        }
        return (CnnToFeedForwardPreProcessor) flattens.get(0);
    }

    /** Rows ordered (h, w, c) -> rows ordered (c, h, w), for a dense weight [H*W*C, out]. */
    private static INDArray hwcRowsToChw(INDArray w, CnnToFeedForwardPreProcessor flatten, String zName,
            List<String> problems) {
        long h = flatten.getInputHeight();
        long wd = flatten.getInputWidth();
        long c = flatten.getNumChannels();
        if (h * wd * c != w.size(0)) {
            problems.add("zoo layer '" + zName + "' param W: its flatten is " + c + "x" + h + "x" + wd + " = "
                    + (h * wd * c) + " features, but W has " + w.size(0) + " rows");
            return null;
        }
        return w.reshape('c', h, wd, c, w.size(1)).permute(2, 0, 1, 3).dup('c').reshape('c', c * h * wd, w.size(1));
    }

    private static void fail(List<String> problems, String zooName, String id) {
        if (!problems.isEmpty()) {
            int shown = Math.min(problems.size(), 10);
            throw new IllegalArgumentException("DL4J zoo file " + zooName + " does not fit model '" + id + "': "
                    + String.join("; ", problems.subList(0, shown))
                    + (problems.size() > shown ? "; and " + (problems.size() - shown) + " more" : ""));
        }
    }

    /** Why the DL4J zoo ResNet50 is not torchvision's resnet, from the file's own configuration. */
    static String resnetRefusal(String id, ClassifierNetwork zoo, String zooName) {
        StringBuilder why = new StringBuilder("refusing to load DL4J zoo file " + zooName + " into '" + id + "'");
        if (!zoo.isGraph() || zoo.graph().getConfiguration().getVertices().get("res2a_branch2a") == null) {
            return why.append(": it is not a DL4J zoo ResNet50 graph (no vertex 'res2a_branch2a'), and no other DL4J"
                    + " zoo file is a torchvision ResNet (the zoo has no ResNet18/34/101/152)").toString();
        }
        Map<String, GraphVertex> v = zoo.graph().getConfiguration().getVertices();
        List<String> diffs = new ArrayList<>();
        ConvolutionLayer r2a = conv(v, "res2a_branch2a");
        if (r2a != null && r2a.getStride()[0] != 1) {
            diffs.add("stage 2 (torchvision layer1) already downsamples: res2a_branch2a has stride "
                    + Arrays.toString(r2a.getStride()) + " where layer1.0 has stride 1, so every later feature map is"
                    + " half the size (7x7 becomes 4x4 at 224x224)");
        }
        ConvolutionLayer r3a = conv(v, "res3a_branch2a");
        ConvolutionLayer r3b = conv(v, "res3a_branch2b");
        if (r3a != null && r3b != null && r3a.getStride()[0] != 1 && r3b.getStride()[0] == 1) {
            diffs.add("the downsampling stride sits on the 1x1 conv (res3a_branch2a stride "
                    + Arrays.toString(r3a.getStride()) + ", 3x3 res3a_branch2b stride " + Arrays.toString(r3b.getStride())
                    + ") where torchvision (v1.5) puts it on the 3x3 conv2");
        }
        if (r2a != null && r2a.hasBias()) {
            diffs.add("its convolutions have biases (res2a_branch2a has a bias), torchvision's have none");
        }
        GraphVertex pool = v.get("avgpool");
        if (pool instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof SubsamplingLayer s) {
            diffs.add("its 'avgpool' is a " + s.getPoolingType() + " pool " + Arrays.toString(s.getKernelSize())
                    + " stride " + Arrays.toString(s.getStride()) + ", not torchvision's global average pool");
        }
        if (diffs.isEmpty()) {
            diffs.add("its layer names and block layout have no mapping to torchvision's");
        }
        return why.append(": the DL4J zoo ResNet50 is not the architecture of this project's torchvision-style '")
                .append(id).append("', so its weights would compute a different function: ")
                .append(String.join("; ", diffs)).toString();
    }

    private static ConvolutionLayer conv(Map<String, GraphVertex> vertices, String name) {
        return vertices.get(name) instanceof LayerVertex lv && lv.getLayerConf().getLayer() instanceof ConvolutionLayer c
                ? c : null;
    }
}
