package io.github.dl4jclassics.zoo.models;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.LayerShapes;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.util.function.IntPredicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.deeplearning4j.exception.DL4JException;

/**
 * Id, texts and defaults of a model, and the one place that turns DL4J's shape-inference failure for a too-small
 * input into an error naming the model, the failing layer and the smallest valid input.
 */
public abstract class BaseClassicModel implements ClassicModel {

    private static final Pattern LAYER = Pattern.compile("name=([^,]+), type=([^)]+)\\)");
    /** Upper end of the search for the smallest valid input; far above any model's needs. */
    private static final int MAX_SEARCH = 4096;

    private final String id;
    private final String description;
    private final String source;
    private final InputShape defaultInput;
    private final int defaultClasses;

    protected BaseClassicModel(String id, String description, String source, InputShape defaultInput,
            int defaultClasses) {
        this.id = id;
        this.description = description;
        this.source = source;
        this.defaultInput = defaultInput;
        this.defaultClasses = defaultClasses;
    }

    /** Builds the configuration; may throw DL4J's exceptions for an input that is too small. */
    protected abstract NetworkConfiguration build(ModelSpec spec);

    @Override
    public final NetworkConfiguration configuration(ModelSpec spec) {
        NetworkConfiguration conf;
        try {
            conf = build(spec);
        } catch (RuntimeException e) {
            DL4JException shapeError = dl4jCause(e);
            if (shapeError == null) {
                throw e;
            }
            Matcher m = LAYER.matcher(String.valueOf(shapeError.getMessage()));
            String layer = m.find() ? "layer '" + m.group(1) + "' (" + m.group(2) + ") fails" : "a layer fails";
            throw tooSmall(spec, layer + " (DL4J: " + firstLine(shapeError.getMessage()) + ")", e);
        }
        String invalid = LayerShapes.firstInvalid(conf, spec.input());
        if (invalid != null) {
            throw tooSmall(spec, invalid, null);
        }
        return conf;
    }

    private IllegalArgumentException tooSmall(ModelSpec spec, String reason, RuntimeException original) {
        InputShape in = spec.input();
        // Validity grows with the input size, so bisect for the smallest square (and per-dimension) input.
        int square = smallest(s -> builds(spec, new InputShape(in.channels(), s, s)));
        int minHeight = smallest(h -> builds(spec, new InputShape(in.channels(), h, Math.max(in.width(), MAX_SEARCH / 4))));
        int minWidth = smallest(w -> builds(spec, new InputShape(in.channels(), Math.max(in.height(), MAX_SEARCH / 4), w)));
        String smallest = square < 0 ? "no input up to " + MAX_SEARCH + "x" + MAX_SEARCH + " is valid"
                : "the smallest valid input is " + in.channels() + "x" + square + "x" + square
                        + (minHeight > 0 && minWidth > 0 ? " (height >= " + minHeight + ", width >= " + minWidth + ")" : "");
        return new IllegalArgumentException("model '" + id + "': input " + in + " is too small: " + reason
                + "; " + smallest, original);
    }

    private boolean builds(ModelSpec spec, InputShape input) {
        try {
            return LayerShapes.firstInvalid(build(new ModelSpec(spec.numClasses(), input, spec.seed(), spec.init())),
                    input) == null;
        } catch (RuntimeException e) {
            if (dl4jCause(e) == null) {
                throw e;
            }
            return false;
        }
    }

    /** The smallest size in [1, MAX_SEARCH] that passes, or -1. */
    private static int smallest(IntPredicate valid) {
        if (!valid.test(MAX_SEARCH)) {
            return -1;
        }
        int lo = 1;
        int hi = MAX_SEARCH;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (valid.test(mid)) {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        return lo;
    }

    private static DL4JException dl4jCause(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof DL4JException d) {
                return d;
            }
        }
        return null;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return nl < 0 ? message : message.substring(0, nl);
    }

    /** The smallest valid square input size (height = width) for this model. */
    public int smallestSquareInput(int channels) {
        ModelSpec base = defaultSpec(0);
        return smallest(s -> builds(base, new InputShape(channels, s, s)));
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public String source() {
        return source;
    }

    @Override
    public InputShape defaultInput() {
        return defaultInput;
    }

    @Override
    public int defaultClasses() {
        return defaultClasses;
    }
}
