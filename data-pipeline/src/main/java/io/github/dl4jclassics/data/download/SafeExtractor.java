package io.github.dl4jclassics.data.download;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;

/**
 * Extracts .tar.gz/.tgz/.tar/.zip archives so that no entry can land outside the target folder: entries with
 * {@code ..} components or absolute paths, and links, are rejected before anything of the archive is written
 * (the whole archive is checked first, then extracted).
 */
public final class SafeExtractor {

    private SafeExtractor() {
    }

    /** Thrown for an entry that would escape the target folder. */
    public static class UnsafeEntryException extends IOException {
        public UnsafeEntryException(String message) {
            super(message);
        }
    }

    /**
     * @param strip leading path components to drop from every entry (1 for GitHub's {@code repo-sha/} folder)
     */
    public static void extract(Path archive, Path target, int strip) throws IOException {
        // Pass 1: validate every entry name; pass 2: extract. A bad entry therefore leaves nothing behind.
        try (ArchiveInputStream in = open(archive)) {
            ArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                resolve(archive, target, entry, strip);
            }
        }
        Path root = target.toAbsolutePath().normalize();
        Files.createDirectories(root);
        try (ArchiveInputStream in = open(archive)) {
            ArchiveEntry entry;
            while ((entry = in.getNextEntry()) != null) {
                Path destination = resolve(archive, root, entry, strip);
                if (destination == null) {
                    continue;
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(destination);
                } else {
                    Files.createDirectories(destination.getParent());
                    Files.copy(in, destination, StandardCopyOption.REPLACE_EXISTING);
                }
            }
        }
    }

    /** The destination of {@code entry}, null for an entry stripped away entirely; fails for an unsafe entry. */
    static Path resolve(Path archive, Path target, ArchiveEntry entry, int strip) throws UnsafeEntryException {
        String name = entry.getName().replace('\\', '/');
        if (entry instanceof TarArchiveEntry tar && (tar.isSymbolicLink() || tar.isLink())) {
            throw new UnsafeEntryException(archive + ": entry '" + name + "' is a link; links are not extracted");
        }
        if (name.startsWith("/") || name.matches("^[A-Za-z]:.*")) {
            throw new UnsafeEntryException(archive + ": entry '" + name + "' has an absolute path");
        }
        String[] parts = name.split("/");
        for (String part : parts) {
            if (part.equals("..")) {
                throw new UnsafeEntryException(archive + ": entry '" + name + "' contains '..' and would escape " + target);
            }
        }
        StringBuilder kept = new StringBuilder();
        int dropped = 0;
        for (String part : parts) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (dropped < strip) {
                dropped++;
                continue;
            }
            kept.append(kept.length() == 0 ? "" : "/").append(part);
        }
        if (kept.length() == 0) {
            return null;
        }
        Path root = target.toAbsolutePath().normalize();
        Path destination = root.resolve(kept.toString()).normalize();
        if (!destination.startsWith(root)) {
            throw new UnsafeEntryException(archive + ": entry '" + name + "' resolves outside " + target);
        }
        return destination;
    }

    private static ArchiveInputStream open(Path archive) throws IOException {
        String name = archive.getFileName().toString().toLowerCase();
        InputStream raw = new BufferedInputStream(Files.newInputStream(archive), 1 << 16);
        if (name.endsWith(".zip")) {
            return new ZipArchiveInputStream(raw);
        }
        if (name.endsWith(".tar.gz") || name.endsWith(".tgz")) {
            return new TarArchiveInputStream(new GzipCompressorInputStream(raw));
        }
        if (name.endsWith(".tar")) {
            return new TarArchiveInputStream(raw);
        }
        raw.close();
        throw new IOException(archive + ": not a .zip, .tar.gz, .tgz or .tar archive");
    }
}
