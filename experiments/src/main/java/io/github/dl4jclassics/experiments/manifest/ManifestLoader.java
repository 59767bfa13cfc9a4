package io.github.dl4jclassics.experiments.manifest;

import io.github.dl4jclassics.common.RunLayout;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidTypeIdException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.zoo.ModelRegistry;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Reads and validates manifests before any work starts: unknown fields, wrong types, missing required fields,
 * unknown model, data set or transform ids all fail with the file, the field path and the allowed values.
 *
 * <p>Manifests are found by name in a manifests directory ({@code experiments/manifests} in a checkout) and,
 * failing that, on the class path under {@code manifests/} (inside the jar).
 */
public final class ManifestLoader {

    public static final String CLASSPATH_FOLDER = "manifests/";
    /** The file name of the resolved manifest a run saves in its folder. */

    private final Path directory;
    private final ModelRegistry models;
    private final DatasetRegistry datasets;

    public ManifestLoader(Path directory) {
        this(directory, ModelRegistry.standard(), DatasetRegistry.standard());
    }

    public ManifestLoader(Path directory, ModelRegistry models, DatasetRegistry datasets) {
        this.directory = directory;
        this.models = models;
        this.datasets = datasets;
    }

    /** The manifests directory of a checkout: {@code experiments/manifests} under the working directory, if present. */
    public static Path defaultDirectory() {
        for (Path candidate : List.of(Path.of("experiments", "manifests"), Path.of("manifests"), Path.of("..", "experiments", "manifests"))) {
            if (Files.isDirectory(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    /** Loads by experiment name or by path to a .json file. */
    public ExperimentManifest load(String nameOrFile) {
        if (nameOrFile.endsWith(".json") || nameOrFile.contains("/") || nameOrFile.contains("\\")) {
            return loadFile(Path.of(nameOrFile));
        }
        if (directory != null && Files.isRegularFile(directory.resolve(nameOrFile + ".json"))) {
            return loadFile(directory.resolve(nameOrFile + ".json"));
        }
        try (InputStream in = ManifestLoader.class.getClassLoader().getResourceAsStream(CLASSPATH_FOLDER + nameOrFile + ".json")) {
            if (in != null) {
                return parse(new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8),
                        ManifestComposer.Origin.ofResource(CLASSPATH_FOLDER + nameOrFile + ".json"), nameOrFile);
            }
        } catch (IOException e) {
            throw new ManifestException("cannot read manifest " + nameOrFile + ": " + e.getMessage(), e);
        }
        throw new ManifestException("no experiment named '" + nameOrFile + "'; known experiments: "
                + String.join(", ", names()) + " (or give the path of a .json manifest)");
    }

    public ExperimentManifest loadFile(Path file) {
        String text = readText(file);
        String fileName = file.getFileName().toString();
        // A run folder's own manifest.json (the resolved manifest the run saved) is named after the run, not the file.
        String expectedName = fileName.equals(RunLayout.MANIFEST) ? null
                : fileName.endsWith(".json") ? fileName.substring(0, fileName.length() - 5) : fileName;
        return parse(text, ManifestComposer.Origin.ofFile(file), expectedName);
    }

    private static String readText(Path file) {
        try {
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ManifestException("manifest file not found: " + file);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new ManifestException(file + " is not a manifest: it is not UTF-8 text (binary or damaged); expected a"
                    + " JSON object with the fields name, description, model, data and training (see docs/MANIFESTS.md)", e);
        } catch (IOException e) {
            throw new ManifestException("cannot read manifest " + file + ": " + e.getMessage(), e);
        }
    }

    /** Reads the resolved manifest a run saved (its name need not match the file name). */
    public ExperimentManifest loadSavedRun(Path manifestFile) {
        return parse(readText(manifestFile), manifestFile.toString(), null);
    }

    /**
     * Parses and validates manifest text; {@code where} names it in messages. Parts named by {@code base} are found
     * relative to the manifests folder, then on the class path.
     */
    public ExperimentManifest parse(String text, String where, String expectedName) {
        return parse(text, ManifestComposer.Origin.ofText(where), expectedName);
    }

    private ExperimentManifest parse(String text, ManifestComposer.Origin origin, String expectedName) {
        ManifestComposer.Composed composed = resolveTree(text, origin);
        ExperimentManifest manifest;
        try {
            manifest = Json.mapper().treeToValue(composed.tree(), ExperimentManifest.class);
        } catch (JsonProcessingException e) {
            String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
            throw new ManifestException(at(origin, composed, field) + ": " + describe(e), e);
        }
        validate(manifest, origin, composed, expectedName);
        return manifest;
    }

    /**
     * The resolved manifest as JSON (parts merged, {@code base} gone), before it is turned into records; what
     * {@code describe --resolved} would show and what a run saves.
     */
    public com.fasterxml.jackson.databind.node.ObjectNode resolveTree(String text, String where) {
        return resolveTree(text, ManifestComposer.Origin.ofText(where)).tree();
    }

    private ManifestComposer.Composed resolveTree(String text, ManifestComposer.Origin origin) {
        return new ManifestComposer(directory).compose(text, origin);
    }

    /** "file" or "file (field from part P)": the file to fix for an error in {@code field}. */
    private static String at(ManifestComposer.Origin origin, ManifestComposer.Composed composed, String field) {
        String part = composed.sourceOf(field);
        return part == null ? origin.display() : origin.display() + " (the field comes from part " + part + ")";
    }

    private void validate(ExperimentManifest manifest, ManifestComposer.Origin origin, ManifestComposer.Composed composed,
                          String expectedName) {
        String where = origin.display();
        if (expectedName != null && !manifest.name().equals(expectedName)) {
            throw new ManifestException(where + ": field 'name' is '" + manifest.name()
                    + "' but must equal the file name '" + expectedName + "'");
        }
        if (!models.contains(manifest.model().id())) {
            throw new ManifestException(at(origin, composed, "model.id") + ": field 'model.id': unknown model id '"
                    + manifest.model().id() + "'; allowed: " + String.join(", ", models.ids()));
        }
        if (!datasets.contains(manifest.data().dataset())) {
            throw new ManifestException(at(origin, composed, "data.dataset") + ": field 'data.dataset': unknown data set id '"
                    + manifest.data().dataset() + "'; allowed: " + String.join(", ", datasets.ids()));
        }
        String perEpoch = manifest.evaluation().perEpochProblem();
        if (perEpoch != null) {
            int colon = perEpoch.indexOf(": ");
            throw new ManifestException(at(origin, composed, "evaluation.perEpoch") + ": field 'evaluation."
                    + perEpoch.substring(0, colon) + "': " + perEpoch.substring(colon + 2));
        }
        for (int i = 0; i < manifest.checks().size(); i++) {
            if ("validation".equals(manifest.checks().get(i).split()) && manifest.data().split() == null) {
                throw new ManifestException(at(origin, composed, "checks") + ": field 'checks[" + i
                        + "].split' is validation but the data has no validation split: add 'data.split'");
            }
        }
        if (manifest.training().earlyStopping() != null && manifest.data().split() == null) {
            throw new ManifestException(where + ": field 'training.earlyStopping' needs a validation split: add 'data.split'");
        }
        if (manifest.training().schedule() != null && manifest.training().schedule().needsValidation()
                && manifest.data().split() == null) {
            throw new ManifestException(where + ": field 'training.schedule' (" + manifest.training().schedule()
                    + ") reads validation metrics: add 'data.split'");
        }
    }

    /** Turns a Jackson error into "field 'a.b': what was wrong; allowed: ...". */
    static String describe(JsonProcessingException e) {
        String field = e instanceof JsonMappingException mapping ? path(mapping) : "";
        String at = field.isEmpty() ? "" : "field '" + field + "': ";
        if (e instanceof UnrecognizedPropertyException unknown) {
            Collection<Object> known = unknown.getKnownPropertyIds();
            return at + "unknown field '" + unknown.getPropertyName() + "'; allowed fields here: "
                    + known.stream().map(Object::toString).sorted().collect(Collectors.joining(", "));
        }
        if (e instanceof InvalidTypeIdException typeId) {
            String message = typeId.getOriginalMessage();
            int known = message.indexOf("known type ids = [");
            int end = known < 0 ? -1 : message.indexOf(']', known);
            // Only the list: Jackson appends "(for POJO property 'transforms')", which means nothing to a user.
            String allowed = end > known ? message.substring(known + "known type ids = [".length(), end) : "see the README";
            return at + (typeId.getTypeId() == null ? "missing 'type'" : "unknown type '" + typeId.getTypeId() + "'")
                    + "; allowed types: " + allowed.trim();
        }
        if (e instanceof ValueInstantiationException instantiation) {
            Throwable cause = instantiation.getCause() != null ? instantiation.getCause() : instantiation;
            return at + cause.getMessage();
        }
        if (e instanceof MismatchedInputException mismatch) {
            String message = mismatch.getOriginalMessage();
            if (message.startsWith("Missing required creator property")) {
                String property = message.replaceAll(".*'([^']*)'.*", "$1");
                // The path may already end with the missing property.
                String full = field.isEmpty() ? property : field.endsWith("." + property) || field.equals(property)
                        ? field : field + "." + property;
                return "missing required field '" + full + "'";
            }
            String type = mismatch.getTargetType() == null ? "another type" : simpleType(mismatch.getTargetType());
            return at + "wrong type, expected " + type + " (" + firstLine(message) + ")";
        }
        if (e instanceof JsonMappingException mapping && mapping.getCause() instanceof IllegalArgumentException cause) {
            return at + cause.getMessage();
        }
        return at + firstLine(e.getOriginalMessage()) + (e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")");
    }

    private static String path(JsonMappingException e) {
        List<String> parts = new ArrayList<>();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getFieldName() != null) {
                parts.add(reference.getFieldName());
            } else if (reference.getIndex() >= 0) {
                int last = parts.size() - 1;
                if (last >= 0) {
                    parts.set(last, parts.get(last) + "[" + reference.getIndex() + "]");
                } else {
                    parts.add("[" + reference.getIndex() + "]");
                }
            }
        }
        return String.join(".", parts);
    }

    private static String simpleType(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class) {
            return "a number";
        }
        if (type == String.class) {
            return "a string";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (List.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        return "an object (" + type.getSimpleName() + ")";
    }

    private static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    /** Names of the manifests in the directory and on the class path, sorted. */
    public List<String> names() {
        List<String> names = new ArrayList<>(classpathNames());
        if (directory != null && Files.isDirectory(directory)) {
            try (Stream<Path> files = Files.list(directory)) {
                files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .map(n -> n.substring(0, n.length() - 5)).forEach(names::add);
            } catch (IOException e) {
                throw new ManifestException("cannot list " + directory + ": " + e.getMessage(), e);
            }
        }
        return names.stream().filter(Objects::nonNull).distinct().sorted().toList();
    }

    /** Manifests packaged in the jar (or in target/classes) under {@code manifests/}. */
    private static List<String> classpathNames() {
        java.net.URL folder = ManifestLoader.class.getClassLoader().getResource(CLASSPATH_FOLDER);
        if (folder == null) {
            return List.of();
        }
        try {
            if ("jar".equals(folder.getProtocol())) {
                String jarPath = folder.getPath().substring("file:".length(), folder.getPath().indexOf("!"));
                try (java.util.jar.JarFile jar = new java.util.jar.JarFile(java.net.URLDecoder.decode(jarPath,
                        java.nio.charset.StandardCharsets.UTF_8))) {
                    return jar.stream().map(java.util.jar.JarEntry::getName)
                            .filter(n -> n.startsWith(CLASSPATH_FOLDER) && n.endsWith(".json") && n.indexOf('/', CLASSPATH_FOLDER.length()) < 0)
                            .map(n -> n.substring(CLASSPATH_FOLDER.length(), n.length() - 5)).toList();
                }
            }
            try (Stream<Path> files = Files.list(Path.of(folder.toURI()))) {
                return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json"))
                        .map(n -> n.substring(0, n.length() - 5)).toList();
            }
        } catch (IOException | java.net.URISyntaxException e) {
            return List.of();
        }
    }
}
