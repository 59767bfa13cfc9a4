package io.github.dl4jclassics.experiments.cli;

import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --manifests DIR} of {@code list}, {@code run} and {@code regress} (a picocli mixin). */
public final class ManifestsOption {

    @Option(names = "--manifests", paramLabel = "DIR", description = "Manifests folder (default: experiments/manifests, then the jar's).")
    Path manifests;

    /** The experiments by name, from {@code --manifests} or the default folder. */
    public ManifestLoader loader() {
        return new ManifestLoader(manifests != null ? manifests : ManifestLoader.defaultDirectory());
    }
}
