package io.github.dl4jclassics.experiments.manifest;

import io.github.dl4jclassics.data.DataLocator;
import io.github.dl4jclassics.data.DataNotFoundException;
import io.github.dl4jclassics.data.DatasetRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * All manifests with what {@code list} shows of each. A manifest that does not load is listed with its error
 * instead of hiding the others.
 */
public final class ExperimentCatalog {

    /** One line of the listing: the manifest, or the error that kept it from loading. */
    public record Entry(String name, ExperimentManifest manifest, String error, boolean dataPresent) {
    }

    private final ManifestLoader loader;
    private final Path dataDir;

    public ExperimentCatalog(ManifestLoader loader, Path dataDir) {
        this.loader = loader;
        this.dataDir = dataDir;
    }

    public List<Entry> entries() {
        List<Entry> entries = new ArrayList<>();
        DataLocator locator = new DataLocator(dataDir);
        for (String name : loader.names()) {
            try {
                ExperimentManifest manifest = loader.load(name);
                boolean present;
                try {
                    locator.locate(DatasetRegistry.standard().get(manifest.data().dataset()), manifest.data().location());
                    present = true;
                } catch (DataNotFoundException e) {
                    present = false;
                }
                entries.add(new Entry(name, manifest, null, present));
            } catch (RuntimeException e) {
                entries.add(new Entry(name, null, e.getMessage(), false));
            }
        }
        return entries;
    }

    public String table() {
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "  %-32s %-20s %-14s %6s  %-26s %s%n",
                "experiment", "model", "data set", "epochs", "documented", "data"));
        for (Entry entry : entries()) {
            if (entry.manifest() == null) {
                out.append(String.format(Locale.ROOT, "  %-32s INVALID: %s%n", entry.name(), entry.error()));
                continue;
            }
            ExperimentManifest m = entry.manifest();
            String documented = m.documented() == null || m.documented().value() == null ? "-"
                    : String.format(Locale.ROOT, "%s %s %.2f%%", m.documented().split(), m.documented().metric(),
                    m.documented().value() * 100);
            out.append(String.format(Locale.ROOT, "  %-32s %-20s %-14s %6d  %-26s %s%n", m.name(), m.model().id(),
                    m.data().dataset(), m.training().epochs(), documented, entry.dataPresent() ? "present" : "missing"));
        }
        return out.toString();
    }
}
