package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.ModelSummary;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code describe MODEL}: the layer table of a model, like torchsummary. */
@Command(name = "describe", description = "Show a model's layers, output shapes, parameters and multiply-accumulates.")
final class DescribeCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "MODEL", description = "Model id (see `list --models`).")
    String modelId;

    @Option(names = "--input", paramLabel = "CxHxW", description = "Input shape (default: the model's).")
    String input;

    @Option(names = "--classes", description = "Number of classes (default: the model's).")
    Integer classes;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() {
        ClassicModel model = ModelRegistry.standard().get(modelId);
        ModelSpec spec = new ModelSpec(classes != null ? classes : model.defaultClasses(),
                input != null ? InputShape.parse(input) : model.defaultInput(), 0);
        ModelSummary summary = ModelSummary.of(model, spec);
        System.out.println(json ? summary.toJson() : summary.toText());
        return 0;
    }
}
