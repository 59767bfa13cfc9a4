package io.github.dl4jclassics.data.download;

import io.github.dl4jclassics.common.AtomicFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fetches one {@link RemoteFile} into a folder: into {@code name.part} first, resumed with an HTTP Range request
 * when a previous attempt was interrupted, verified against the registry's checksum, then renamed to its name.
 * A file already present and verified is not fetched again. A checksum mismatch deletes the partial file.
 */
public final class Downloader {

    private static final Logger LOG = LoggerFactory.getLogger(Downloader.class);

    private final boolean progressBar;
    private final int timeoutMillis;

    public Downloader(boolean progressBar, int timeoutMillis) {
        this.progressBar = progressBar;
        this.timeoutMillis = timeoutMillis;
    }

    public Downloader() {
        this(true, 30_000);
    }

    /** The verified file {@code folder/file.fileName()}, fetched if needed. */
    public Path fetch(RemoteFile file, Path folder) throws IOException {
        Files.createDirectories(folder);
        Path target = folder.resolve(file.fileName());
        if (Files.isRegularFile(target)) {
            verify(file, target, false);
            return target;
        }
        Path partial = folder.resolve(file.fileName() + ".part");
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        HttpURLConnection connection;
        try {
            connection = (HttpURLConnection) URI.create(file.url()).toURL().openConnection();
            connection.setConnectTimeout(timeoutMillis);
            connection.setReadTimeout(timeoutMillis);
            if (have > 0) {
                connection.setRequestProperty("Range", "bytes=" + have + "-");
            }
            int status = connection.getResponseCode();
            if (status == 416 && have > 0) {
                // Range not satisfiable: the partial file is already complete (or bigger); verify it as it is.
                connection.disconnect();
                return finish(file, partial, target);
            }
            if (status != 200 && status != 206) {
                throw new IOException("GET " + file.url() + " answered HTTP " + status);
            }
            boolean append = have > 0 && status == 206;
            if (have > 0 && !append) {
                LOG.info("{} does not support resuming; downloading {} again from the start", file.url(), file.fileName());
                have = 0;
            }
            long remaining = connection.getContentLengthLong();
            long total = remaining >= 0 ? have + remaining : (file.size() != null ? file.size() : -1);
            try (InputStream in = connection.getInputStream();
                 OutputStream out = Files.newOutputStream(partial, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                         append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING);
                 ProgressBar bar = progressBar ? new ProgressBarBuilder().setTaskName(file.fileName())
                         .setInitialMax(total).setStyle(ProgressBarStyle.ASCII).setUnit(" MB", 1 << 20)
                         .startsFrom(have, java.time.Duration.ZERO).build() : null) {
                byte[] buffer = new byte[1 << 16];
                int read;
                long received = 0;
                while ((read = in.read(buffer)) != -1) {
                    out.write(buffer, 0, read);
                    received += read;
                    if (bar != null) {
                        bar.stepBy(read);
                    }
                }
                if (remaining >= 0 && received < remaining) {
                    // The connection ended early; keep the partial file so the next attempt resumes it.
                    throw new IOException("download of " + file.url() + " was interrupted after " + (have + received)
                            + " of " + total + " bytes; " + partial + " is kept: run the download again to resume");
                }
            }
        } catch (UnknownHostException | ConnectException | SocketTimeoutException e) {
            throw new IOException("cannot reach " + file.url() + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "). Offline? Download it elsewhere and place it as " + target
                    + (Files.isRegularFile(partial) ? " (the partial " + partial + " is kept; running again resumes it)" : ""), e);
        }
        return finish(file, partial, target);
    }

    private Path finish(RemoteFile file, Path partial, Path target) throws IOException {
        verify(file, partial, true);
        AtomicFiles.publish(partial, target);
        return target;
    }

    /** Checks size and checksum; on a mismatch deletes {@code path} when {@code deleteOnMismatch}, and fails. */
    static void verify(RemoteFile file, Path path, boolean deleteOnMismatch) throws IOException {
        String problem = null;
        long size = Files.size(path);
        if (file.size() != null && size != file.size()) {
            problem = "size " + size + " bytes, expected " + file.size();
        } else if (file.sha256() != null) {
            String actual = digest(path, "SHA-256");
            if (!actual.equalsIgnoreCase(file.sha256())) {
                problem = "SHA-256 " + actual + ", expected " + file.sha256();
            }
        } else if (file.md5() != null) {
            String actual = digest(path, "MD5");
            if (!actual.equalsIgnoreCase(file.md5())) {
                problem = "MD5 " + actual + ", expected " + file.md5() + " (the publisher's checksum)";
            }
        } else {
            LOG.warn("{}: no published checksum to verify it against", path);
        }
        if (problem != null) {
            if (deleteOnMismatch) {
                Files.deleteIfExists(path);
            }
            throw new ChecksumMismatchException(path + " from " + file.url() + ": " + problem
                    + (deleteOnMismatch ? "; the file was deleted, run the download again"
                    : "; delete it (or replace it with the official file) and run the download again"));
        }
    }

    public static String digest(Path path, String algorithm) throws IOException {
        try {
            MessageDigest digest = MessageDigest.getInstance(algorithm);
            try (InputStream in = Files.newInputStream(path)) {
                byte[] buffer = new byte[1 << 16];
                int read;
                while ((read = in.read(buffer)) != -1) {
                    digest.update(buffer, 0, read);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
