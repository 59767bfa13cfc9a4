package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.common.workarounds.Dl4jWorkarounds;
import io.github.dl4jclassics.experiments.cli.Main;
import picocli.CommandLine;

/**
 * The jar {@code spark/target/dl4j-classics-spark.jar}: the experiments' command line, whose {@code run} also takes
 * {@code --spark --master URL}. Runs with {@code java -jar} (Spark inside, {@code local[N]}) or under
 * {@code spark-submit} (a cluster; see the README's scale-out section).
 */
public final class SparkMain {

    private SparkMain() {
    }

    public static void main(String[] args) {
        Dl4jWorkarounds.install();
        int code = execute(args.length == 0 ? new String[]{"--help"} : args);
        // Spark leaves non-daemon threads behind: end the JVM explicitly.
        System.exit(code);
    }

    public static int execute(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine commandLine = Main.commandLine();
        commandLine.getCommandSpec().removeSubcommand("run");
        commandLine.addSubcommand("run", new SparkRunCommand());
        commandLine.addSubcommand("prepare-spark-data", new PrepareSparkDataCommand());
        commandLine.setCommandName("dl4j-classics-spark");
        return commandLine;
    }
}
