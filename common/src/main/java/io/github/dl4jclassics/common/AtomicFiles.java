package io.github.dl4jclassics.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files so that a reader (or a crash) never sees half of one: write a temporary file in the same
 * directory, force it to disk, then rename it over the target.
 */
public final class AtomicFiles {

    private AtomicFiles() {
    }

    /** Something that writes the whole content to the given (temporary) path. */
    @FunctionalInterface
    public interface Writer {
        void write(Path temporary) throws IOException;
    }

    public static void write(Path target, Writer writer) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Files.createDirectories(directory);
        Path temporary = Files.createTempFile(directory, "." + target.getFileName(), ".tmp");
        try {
            writer.write(temporary);
            // createTempFile makes the file private (0600); results and reports are meant to be shared.
            makeReadable(temporary);
            try (var channel = java.nio.channels.FileChannel.open(temporary, java.nio.file.StandardOpenOption.WRITE)) {
                channel.force(true);
            }
            Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            // "No space left on device" names no file; the target is untouched (the old content, or absent).
            throw new IOException("cannot write " + target + ": " + describe(e), e);
        } finally {
            Files.deleteIfExists(temporary);
        }
    }

    /** The message of {@code e}, with the exception type when it has none or only a path (NoSuchFileException). */
    private static String describe(IOException e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.FileSystemException fs) {
            return fs.getReason() != null ? fs.getReason() : e.getClass().getSimpleName() + " " + fs.getFile();
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    private static void makeReadable(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        } catch (UnsupportedOperationException e) {
            // Not a POSIX file system (Windows): its default permissions apply.
        }
    }

    /**
     * Renames a file that was written in place over time ({@code partial}: a resumable download, a pixel cache
     * filled while images are decoded) onto {@code target}, after forcing it to disk: the same guarantee as
     * {@link #write} for content that cannot be produced in one callback.
     */
    public static void publish(Path partial, Path target) throws IOException {
        try (var channel = java.nio.channels.FileChannel.open(partial, java.nio.file.StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    public static void writeString(Path target, String content) throws IOException {
        write(target, temporary -> Files.writeString(temporary, content, StandardCharsets.UTF_8));
    }
}
