package io.github.dl4jclassics.experiments.cli;

import java.util.Properties;
import picocli.CommandLine;

/** Prints this project's and DL4J's versions. */
final class VersionProvider implements CommandLine.IVersionProvider {

    @Override
    public String[] getVersion() throws Exception {
        Properties versions = new Properties();
        try (var in = VersionProvider.class.getResourceAsStream("/dl4j-classics-versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        }
        return new String[]{"dl4j-classics " + versions.getProperty("project.version", "unknown")
                + " (Deeplearning4j " + versions.getProperty("dl4j.version", "unknown") + ")"};
    }
}
