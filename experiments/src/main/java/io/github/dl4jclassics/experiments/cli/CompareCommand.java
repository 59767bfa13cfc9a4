package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.evaluation.compare.RunComparison;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code compare RUN_DIR...}: several runs side by side, as a table and charts. */
@Command(name = "compare", description = "Compare runs: metrics, per-class accuracy, epochs and time.")
final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "Run folders to compare.")
    List<Path> runs;

    @Option(names = "--out", paramLabel = "DIR", description = "Also write comparison.md and its charts here.")
    Path out;

    @Override
    public Integer call() throws Exception {
        RunComparison comparison = RunComparison.of(runs);
        System.out.println(comparison.markdown());
        if (out != null) {
            for (Path written : comparison.write(out)) {
                System.out.println("wrote " + written);
            }
        }
        return 0;
    }
}
