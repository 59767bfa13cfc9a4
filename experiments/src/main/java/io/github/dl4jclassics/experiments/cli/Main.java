package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.common.workarounds.Dl4jWorkarounds;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The command-line tool {@code dl4j-classics} (the jar {@code experiments/target/dl4j-classics.jar}) and the
 * entry point of {@code mvn compile exec:java}: with no arguments it runs the experiment named by
 * {@code -Dexperiment=NAME}, or the default experiment.
 */
@Command(name = "dl4j-classics", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Classic image-classification papers, reproduced with Deeplearning4j.",
        subcommands = {ListCommand.class, RunCommand.class, DescribeCommand.class, PredictCommand.class,
                EvaluateCommand.class, CompareCommand.class, DownloadCommand.class, BenchCommand.class, RegressCommand.class,
                CacheCommand.class, TraceCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {

    public static final String DEFAULT_EXPERIMENT = "lenet5-fashion-mnist-sample";
    /** Exit code of a run stopped by SIGTERM (128 + 15, what the JVM itself reports). */
    public static final int EXIT_STOPPED = 143;

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        // Before any DL4J class reads its settings: the DL4J version checked, oneDNN helpers on (docs/PERFORMANCE.md).
        Dl4jWorkarounds.install();
        String[] effective = args;
        if (args.length == 0) {
            effective = new String[]{"run", System.getProperty("experiment", DEFAULT_EXPERIMENT)};
        }
        int code = execute(effective);
        if (code != 0) {
            System.exit(code);
        }
    }

    /** Runs the command line and returns its exit code (0 success, 1 failed verdict or error, 2 usage). */
    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command line with its error handler, for a tool that adds to it (the spark module's jar). */
    public static CommandLine commandLine() {
        Dl4jWorkarounds.install();
        CommandLine commandLine = new CommandLine(new Main());
        commandLine.setExecutionExceptionHandler((exception, cl, parseResult) -> {
            if (exception instanceof io.github.dl4jclassics.training.TrainingStoppedException) {
                // SIGTERM or Ctrl-C: the shutdown hook has printed the last checkpoint and the resume command.
                return EXIT_STOPPED;
            }
            cl.getErr().println("error: " + exception.getMessage());
            if (Boolean.getBoolean("dl4j-classics.stacktrace")) {
                exception.printStackTrace(cl.getErr());
            }
            return 1;
        });
        return commandLine;
    }
}
