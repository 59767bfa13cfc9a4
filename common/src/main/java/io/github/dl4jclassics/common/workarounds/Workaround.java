package io.github.dl4jclassics.common.workarounds;

/**
 * Every place where this project works around Deeplearning4j {@value Dl4jWorkarounds#WRITTEN_FOR}, with why and what
 * to check on another version. The code stays where DL4J forces it to be (a class name DL4J looks up, a subclass of
 * a DL4J layer, a wrapper around DL4J's UI server); this list is the one index of them, and what
 * {@link Dl4jWorkarounds#install()} names when the DL4J version differs.
 */
public enum Workaround {

    /** {@code common: org.nd4j.nativeblas.Nd4jCpu}. */
    ONEDNN_CLASS_NAME_SHIM("org.nd4j.nativeblas.Nd4jCpu (common)",
            "restores the class name BaseMKLDNNHelper reflects on, renamed in M2.1; without it every oneDNN helper "
                    + "reports 'not supported'. Delete it when BaseMKLDNNHelper uses the new name."),

    /** {@code common: FastPath}. */
    LAYER_HELPERS_PROPERTY("io.github.dl4jclassics.common.FastPath (common)",
            "sets org.eclipse.deeplearning4j.helpers.disable=false, which M2.1 defaults to true, before any network "
                    + "is built; checks that the oneDNN helpers are usable."),

    /** {@code common: CachedShapeInfoProvider}, installed by {@code FastPath}. */
    SHAPE_INFO_CACHE("io.github.dl4jclassics.common.CachedShapeInfoProvider (common)",
            "replaces ND4J's CPU DirectShapeInfoProvider (a private static field of Nd4j, set by reflection) because "
                    + "M2.1 caches only one of its two createShapeInformation overloads; installed only over that "
                    + "class. Delete it when ND4J caches the DataType overload."),

    /** {@code common: FastPath}, the JavaCPP property. */
    JAVACPP_PHYSICAL_BYTES_CHECK("io.github.dl4jclassics.common.FastPath (common)",
            "sets org.bytedeco.javacpp.maxPhysicalBytes=0 on the CPU backend: JavaCPP 1.5.7 reads /proc under a "
                    + "global lock on every native allocation otherwise; maxBytes still bounds what it allocates."),

    /** {@code model-zoo: zoo.layers}. */
    FAST_LAYERS_PROTECTED_FIELDS("io.github.dl4jclassics.zoo.layers.FastConvolutionLayer, "
            + "NativeLocalResponseNormalizationLayer (model-zoo)",
            "subclass DL4J's layer implementations and read their protected fields (helper, helperCountFail, "
                    + "input, gradientViews); a field renamed or a method signature changed breaks them silently."),

    /** {@code model-zoo: zoo.layers.OneDnn}. */
    ONEDNN_PRESETS_ON_ND4J_BUFFERS("io.github.dl4jclassics.zoo.layers.OneDnn, OneDnnConvolutionForward, "
            + "OneDnnConvolutionBackward (model-zoo)",
            "call oneDNN 2.5.2 from org.bytedeco:dnnl 2.5.2-1.5.7 on ND4J's buffers: the presets must be built on the "
                    + "JavaCPP of ND4J (1.5.7 in M2.1) and share its libgomp; a DL4J with another JavaCPP needs the "
                    + "matching presets (or -Ddl4jclassics.oneDnnDirect=false)."),

    /** {@code model-zoo: NetworkConfiguration.Graph.cloneWithCounts}. */
    GRAPH_CLONE_LOSES_COUNTS("io.github.dl4jclassics.zoo.NetworkConfiguration.Graph#cloneWithCounts (model-zoo)",
            "ComputationGraphConfiguration.clone() resets the iteration and epoch counts in M2.1; resumed graphs "
                    + "need them (Adam's bias correction, schedules)."),

    /** {@code training: TrainingUi}. */
    UI_LOOPBACK_PROXIES("io.github.dl4jclassics.training.ui.TrainingUi (training)",
            "wraps Vert.x in proxies so that VertxUIServer, which has no bind-address setting in M2.1, listens on "
                    + "127.0.0.1 only.");

    private final String where;
    private final String what;

    Workaround(String where, String what) {
        this.where = where;
        this.what = what;
    }

    /** The class (and module) that holds it. */
    public String where() {
        return where;
    }

    /** What it does and why. */
    public String what() {
        return what;
    }
}
