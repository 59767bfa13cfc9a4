package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.experiments.run.ModelEvaluation;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.experiments.run.RunSummary;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code evaluate RUN_DIR_OR_MODEL}: metrics, charts and report of a saved model, with the run's own data recipe. */
@Command(name = "evaluate", description = "Evaluate a saved model (a run folder or its model.zip) on its data set.")
final class EvaluateCommand implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "RUN_DIR_OR_MODEL", description = "A run folder, or a model.zip inside one.")
    Path target;

    @Option(names = {"--data", "--data-dir"}, paramLabel = "DIR", description = "Where the data set is.")
    Path dataDir;

    @Option(names = "--limit-test", paramLabel = "N", description = "Evaluate only the first N test images.")
    Integer limitTest;

    @Option(names = "--out", paramLabel = "DIR", description = "Output folder (default: RUN_DIR/evaluations/TIMESTAMP).")
    Path out;

    @Option(names = "--json", description = "Print the result as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        Path runDir = Files.isDirectory(target) ? target : target.toAbsolutePath().getParent();
        Path output = out != null ? out : runDir.resolve("evaluations")
                .resolve(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").format(LocalDateTime.now()));
        RunResult result = ModelEvaluation.evaluate(target, output,
                new ModelEvaluation.Options(dataDir, limitTest, null));
        System.out.println(json ? Json.write(result) : RunSummary.format(result));
        return 0;
    }
}
