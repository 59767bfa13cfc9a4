package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.experiments.manifest.ExperimentCatalog;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSummary;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code list}: every experiment (with its documented result and whether its data is here) and every model. */
@Command(name = "list", description = "List experiments and models.")
final class ListCommand implements Callable<Integer> {

    @Mixin
    ManifestsOption manifests;

    @Option(names = "--data-dir", description = "Data directory to check for each experiment's data.")
    Path dataDir;

    @Option(names = "--models", description = "List only the models.")
    boolean modelsOnly;

    @Override
    public Integer call() {
        if (!modelsOnly) {
            ManifestLoader loader = manifests.loader();
            System.out.println("Experiments:");
            System.out.print(new ExperimentCatalog(loader, dataDir).table());
            System.out.println();
        }
        System.out.println("Models:");
        System.out.printf("  %-22s %-12s %8s %16s  %s%n", "id", "input", "classes", "parameters", "source");
        for (ClassicModel model : ModelRegistry.standard().all()) {
            String params;
            try {
                // From the configuration alone: building and initialising every network took minutes and GBs (VGG19).
                params = String.format("%,d", ModelSummary.of(model, model.defaultSpec(0)).numParams());
            } catch (RuntimeException e) {
                params = "error";
            }
            System.out.printf("  %-22s %-12s %8d %16s  %s%n", model.id(), model.defaultInput(), model.defaultClasses(),
                    params, model.source());
        }
        return 0;
    }
}
