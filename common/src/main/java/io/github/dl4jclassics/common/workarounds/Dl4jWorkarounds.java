package io.github.dl4jclassics.common.workarounds;

import io.github.dl4jclassics.common.FastPath;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The entry point of the project's DL4J workarounds ({@link Workaround}): every {@code main} calls {@link #install()}
 * first thing, before any network is built. It checks that the Deeplearning4j on the class path is the version the
 * workarounds were written for, says so loudly when it is not, and turns the fast path on ({@link FastPath#enable()}).
 */
public final class Dl4jWorkarounds {

    /** The Deeplearning4j version every {@link Workaround} was written for and tested with. */
    public static final String WRITTEN_FOR = "1.0.0-M2.1";

    private static final Logger LOG = LoggerFactory.getLogger(Dl4jWorkarounds.class);
    private static final String[] VERSION_FILES = {
        "META-INF/maven/org.deeplearning4j/deeplearning4j-nn/pom.properties",
        "META-INF/maven/org.nd4j/nd4j-api/pom.properties",
    };

    private static volatile boolean installed;

    private Dl4jWorkarounds() {
    }

    /** Checks the DL4J version (a loud error on another one) and enables the fast path; idempotent. */
    public static FastPath.Status install() {
        if (!installed) {
            synchronized (Dl4jWorkarounds.class) {
                if (!installed) {
                    String warning = versionWarning(detectedVersion());
                    if (warning != null) {
                        LOG.error(warning);
                    }
                    installed = true;
                }
            }
        }
        return FastPath.enable();
    }

    /**
     * Null when {@code found} is {@link #WRITTEN_FOR}; otherwise the message that names both versions and every
     * workaround to check.
     */
    public static String versionWarning(String found) {
        if (WRITTEN_FOR.equals(found)) {
            return null;
        }
        StringBuilder message = new StringBuilder("DL4J VERSION MISMATCH: this project's DL4J workarounds were written for "
                + "Deeplearning4j " + WRITTEN_FOR + ", but " + (found == null ? "an unknown version" : found)
                + " is on the class path. Each of these may now be wrong or unnecessary; check them before trusting "
                + "speed or results:");
        for (Workaround workaround : Workaround.values()) {
            message.append(System.lineSeparator()).append("  - ").append(workaround.where()).append(": ")
                    .append(workaround.what());
        }
        return message.toString();
    }

    /** The version of deeplearning4j-nn (else nd4j-api) on the class path, from its Maven metadata; null if unknown. */
    public static String detectedVersion() {
        ClassLoader loader = Dl4jWorkarounds.class.getClassLoader();
        for (String file : VERSION_FILES) {
            try (InputStream in = loader.getResourceAsStream(file)) {
                if (in != null) {
                    Properties properties = new Properties();
                    properties.load(in);
                    String version = properties.getProperty("version");
                    if (version != null) {
                        return version.trim();
                    }
                }
            } catch (IOException e) {
                // Unreadable metadata: try the next file.
            }
        }
        return null;
    }
}
