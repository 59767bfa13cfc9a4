package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.experiments.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Runs a CLI command in this JVM, asserts its exit code and returns what it printed on one stream. */
final class CommandOutput {

    private CommandOutput() {
    }

    /** Standard output of {@code Main.execute(args)}, which must exit with {@code expectedCode}. */
    static String out(int expectedCode, String... args) {
        return captured(() -> System.out, System::setOut, expectedCode, args);
    }

    /** Standard error of {@code Main.execute(args)}, which must exit with {@code expectedCode}. */
    static String err(int expectedCode, String... args) {
        return captured(() -> System.err, System::setErr, expectedCode, args);
    }

    private static String captured(Supplier<PrintStream> current, Consumer<PrintStream> set, int expectedCode,
            String... args) {
        PrintStream original = current.get();
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        set.accept(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        try {
            assertThat(Main.execute(args)).isEqualTo(expectedCode);
        } finally {
            set.accept(original);
        }
        return buffer.toString(StandardCharsets.UTF_8);
    }
}
