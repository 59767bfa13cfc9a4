package io.github.dl4jclassics.data;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/** Cache keys: a hash of what identifies the input (paths, sizes, modification times, settings). */
public final class Fingerprints {

    private Fingerprints() {
    }

    public static String sha256(String text) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Identity of the files under {@code directory} (relative path, size, modification time of each, up to four
     * levels deep), cheap enough for 20,000 images and changed by any replaced, added or removed file.
     */
    public static String ofDirectory(Path directory) {
        StringBuilder text = new StringBuilder(directory.toAbsolutePath().normalize().toString());
        try (Stream<Path> walk = Files.walk(directory, 4)) {
            List<Path> files = walk.filter(Files::isRegularFile).sorted().toList();
            for (Path file : files) {
                text.append('\n').append(directory.relativize(file)).append(' ').append(Files.size(file)).append(' ')
                        .append(Files.getLastModifiedTime(file).toMillis());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + directory, e);
        }
        return sha256(text.toString());
    }

    /** Identity of a data location: its files when on disk, its name when on the class path. */
    public static String of(DataFiles files) {
        if (files instanceof DataFiles.DirectoryFiles directory) {
            return ofDirectory(directory.directory());
        }
        return sha256(files.toString());
    }
}
