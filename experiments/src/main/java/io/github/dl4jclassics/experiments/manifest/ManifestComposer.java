package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Composes a manifest from shared parts, as mmpretrain's {@code _base_} does: {@code "base": ["parts/a.json", ...]}
 * is deep-merged in order, then the manifest's own fields on top. Objects merge key by key; arrays and scalars
 * replace. Parts may have a {@code base} of their own. A part is looked up relative to the file naming it, then
 * relative to the manifests folder, then on the class path under {@code manifests/}.
 *
 * <p>Every field of the result remembers the file that set it last, so an error in a field (unknown, wrong type,
 * invalid value) names the part it came from, not only the manifest.
 */
final class ManifestComposer {

    static final String BASE = "base";
    /** Provenance of a field the manifest itself set. */
    private static final String SELF = "";

    /** Where a manifest or part text came from: a file, a class-path resource, or neither (text given directly). */
    record Origin(String display, Path file, String resource) {

        static Origin ofFile(Path file) {
            return new Origin(file.toString(), file, null);
        }

        static Origin ofResource(String resource) {
            return new Origin("classpath:" + resource, null, resource);
        }

        static Origin ofText(String display) {
            return new Origin(display, null, null);
        }
    }

    /** The merged tree (without {@code base}) and, for each field path, the file that set it. */
    record Composed(ObjectNode tree, Map<String, String> provenance, List<String> parts) {

        /** The file that set {@code fieldPath} (or its closest enclosing field), or null for the manifest itself. */
        String sourceOf(String fieldPath) {
            String path = fieldPath;
            while (path != null && !path.isEmpty()) {
                String from = provenance.get(path);
                if (from != null) {
                    return from.equals(SELF) ? null : from;
                }
                path = parent(path);
            }
            return null;
        }

        private static String parent(String path) {
            int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
            return cut < 0 ? null : path.substring(0, cut);
        }
    }

    private final Path manifestsDirectory;

    ManifestComposer(Path manifestsDirectory) {
        this.manifestsDirectory = manifestsDirectory;
    }

    /** Composes {@code text} (the manifest itself, read from {@code origin}). */
    Composed compose(String text, Origin origin) {
        ObjectNode root = readObject(text, origin.display());
        Map<String, String> provenance = new HashMap<>();
        List<String> parts = new ArrayList<>();
        ObjectNode merged = Json.mapper().createObjectNode();
        Deque<String> stack = new ArrayDeque<>();
        stack.push(origin.display());
        applyBases(root, origin, merged, provenance, parts, stack);
        // The manifest's own fields go on top and are attributed to the manifest (null source).
        merge(merged, withoutBase(root), "", null, provenance);
        return new Composed(merged, provenance, parts);
    }

    private void applyBases(ObjectNode node, Origin origin, ObjectNode merged, Map<String, String> provenance,
                            List<String> parts, Deque<String> stack) {
        JsonNode base = node.get(BASE);
        if (base == null || base.isNull()) {
            return;
        }
        List<String> refs = new ArrayList<>();
        if (base.isTextual()) {
            refs.add(base.asText());
        } else if (base.isArray()) {
            for (int i = 0; i < base.size(); i++) {
                if (!base.get(i).isTextual()) {
                    throw new ManifestException(origin.display() + ": field 'base[" + i + "]': expected the path of a"
                            + " part (a string such as \"parts/models/lenet5.json\"), got " + base.get(i));
                }
                refs.add(base.get(i).asText());
            }
        } else {
            throw new ManifestException(origin.display() + ": field 'base': expected a list of part paths"
                    + " (e.g. [\"parts/models/lenet5.json\"]), got " + base);
        }
        for (String ref : refs) {
            Origin part = locate(ref, origin);
            if (stack.contains(part.display())) {
                throw new ManifestException(origin.display() + ": field 'base': part '" + ref + "' includes itself: "
                        + String.join(" -> ", reversed(stack)) + " -> " + part.display());
            }
            ObjectNode partTree = readObject(read(part), part.display());
            stack.push(part.display());
            applyBases(partTree, part, merged, provenance, parts, stack);
            stack.pop();
            merge(merged, withoutBase(partTree), "", ref, provenance);
            parts.add(ref);
        }
    }

    /** The part named {@code ref} by a file at {@code from}: relative to it, the manifests folder, then the jar. */
    private Origin locate(String ref, Origin from) {
        List<String> tried = new ArrayList<>();
        if (from.file() != null) {
            Path parent = from.file().toAbsolutePath().getParent();
            Path candidate = parent.resolve(ref).normalize();
            if (Files.isRegularFile(candidate)) {
                return Origin.ofFile(candidate);
            }
            tried.add(candidate.toString());
        }
        if (manifestsDirectory != null) {
            Path candidate = manifestsDirectory.resolve(ref).normalize();
            if (Files.isRegularFile(candidate)) {
                return Origin.ofFile(candidate);
            }
            tried.add(candidate.toString());
        }
        List<String> resources = new ArrayList<>();
        if (from.resource() != null) {
            resources.add(normalizeResource(from.resource().substring(0, from.resource().lastIndexOf('/') + 1) + ref));
        }
        resources.add(normalizeResource(ManifestLoader.CLASSPATH_FOLDER + ref));
        for (String resource : resources.stream().distinct().toList()) {
            if (ManifestComposer.class.getClassLoader().getResource(resource) != null) {
                return Origin.ofResource(resource);
            }
            tried.add("classpath:" + resource);
        }
        throw new ManifestException(from.display() + ": field 'base': part '" + ref + "' not found; looked in "
                + String.join(", ", tried));
    }

    private static List<String> reversed(Deque<String> stack) {
        List<String> list = new ArrayList<>(stack);
        java.util.Collections.reverse(list);
        return list;
    }

    private static String normalizeResource(String resource) {
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : resource.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (!parts.isEmpty()) {
                    parts.removeLast();
                }
            } else {
                parts.addLast(segment);
            }
        }
        return String.join("/", parts);
    }

    private static String read(Origin origin) {
        try {
            if (origin.file() != null) {
                return Files.readString(origin.file());
            }
            try (InputStream in = ManifestComposer.class.getClassLoader().getResourceAsStream(origin.resource())) {
                if (in == null) {
                    throw new ManifestException("part not found: " + origin.display());
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        } catch (IOException e) {
            throw new ManifestException("cannot read part " + origin.display() + ": " + e.getMessage(), e);
        }
    }

    private static ObjectNode readObject(String text, String where) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(text);
        } catch (JsonProcessingException e) {
            throw new ManifestException(where + ": not valid JSON, expected a manifest object { \"name\": ..., \"model\": ..."
                    + " } (docs/MANIFESTS.md): " + ManifestLoader.describe(e), e);
        }
        if (node == null || !node.isObject()) {
            throw new ManifestException(where + ": expected a JSON object { ... }");
        }
        return (ObjectNode) node;
    }

    private static ObjectNode withoutBase(ObjectNode node) {
        ObjectNode copy = node.deepCopy();
        copy.remove(BASE);
        return copy;
    }

    /** Deep merge: objects key by key, everything else replaces; records who set each field. */
    static void merge(ObjectNode target, ObjectNode overlay, String prefix, String from, Map<String, String> provenance) {
        Iterator<Map.Entry<String, JsonNode>> fields = overlay.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            String path = prefix.isEmpty() ? field.getKey() : prefix + "." + field.getKey();
            JsonNode existing = target.get(field.getKey());
            if (existing != null && existing.isObject() && field.getValue().isObject()) {
                merge((ObjectNode) existing, (ObjectNode) field.getValue(), path, from, provenance);
                continue;
            }
            target.set(field.getKey(), field.getValue().deepCopy());
            // Whatever an earlier file set below this field is gone now.
            provenance.keySet().removeIf(k -> k.startsWith(path + ".") || k.startsWith(path + "["));
            provenance.put(path, from == null ? SELF : from);
        }
    }
}
