package io.github.dl4jclassics.data.download;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.dl4jclassics.data.TestData;
import io.github.dl4jclassics.data.datasets.IdxDataset;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Downloads against a server on 127.0.0.1: never the internet. */
class DownloaderTest {

    @TempDir
    Path dir;

    private HttpServer server;
    private final Map<String, byte[]> content = new ConcurrentHashMap<>();
    /** Paths whose next GET sends only this many bytes and then drops the connection. */
    private final Map<String, Integer> cutAfter = new ConcurrentHashMap<>();
    private final List<String> rangeHeaders = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::serve);
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private void serve(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        byte[] body = content.get(path);
        if (body == null) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        String range = exchange.getRequestHeaders().getFirst("Range");
        rangeHeaders.add(range == null ? "none" : range);
        int from = 0;
        if (range != null && range.startsWith("bytes=")) {
            from = Integer.parseInt(range.substring(6, range.indexOf('-')));
            exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (body.length - 1) + "/" + body.length);
            exchange.sendResponseHeaders(206, body.length - from);
        } else {
            exchange.sendResponseHeaders(200, body.length);
        }
        Integer cut = cutAfter.remove(path);
        OutputStream out = exchange.getResponseBody();
        int end = cut == null ? body.length : from + cut;
        out.write(body, from, end - from);
        out.flush();
        // With fewer bytes than announced, closing drops the connection: the client sees a premature end.
        exchange.close();
    }

    private String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    private static String sha256(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
    }

    private static String md5(byte[] data) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("MD5").digest(data));
    }

    @Test
    void downloadsAndVerifiesTheChecksum() throws Exception {
        byte[] data = random(300_000, 1);
        content.put("/a.bin", data);
        RemoteFile file = new RemoteFile(url("/a.bin"), "a.bin", 300_000L, sha256(data), null, null);

        Path fetched = new Downloader(true, 5000).fetch(file, dir.resolve("set"));

        assertThat(fetched).isEqualTo(dir.resolve("set/a.bin"));
        assertThat(Files.readAllBytes(fetched)).isEqualTo(data);
        assertThat(dir.resolve("set/a.bin.part")).doesNotExist();
        // Present and verified: not fetched again.
        new Downloader(false, 5000).fetch(file, dir.resolve("set"));
        assertThat(rangeHeaders).hasSize(1);
        // MD5 (the publisher's checksum where that is all there is) works the same way.
        RemoteFile byMd5 = new RemoteFile(url("/a.bin"), "b.bin", null, null, md5(data), null);
        assertThat(Files.readAllBytes(new Downloader(false, 5000).fetch(byMd5, dir))).isEqualTo(data);
    }

    @Test
    void checksumMismatchDeletesThePartialFileAndSaysSo() throws Exception {
        content.put("/a.bin", random(1000, 2));
        RemoteFile file = new RemoteFile(url("/a.bin"), "a.bin", null, "00".repeat(32), null, null);

        assertThatThrownBy(() -> new Downloader(false, 5000).fetch(file, dir))
                .isInstanceOf(ChecksumMismatchException.class)
                .hasMessageContaining(dir.resolve("a.bin.part").toString())
                .hasMessageContaining("expected " + "00".repeat(32))
                .hasMessageContaining("the file was deleted");
        assertThat(dir.resolve("a.bin.part")).doesNotExist();
        assertThat(dir.resolve("a.bin")).doesNotExist();
    }

    @Test
    void interruptedDownloadIsResumedWithARangeRequest() throws Exception {
        byte[] data = random(500_000, 3);
        content.put("/big.bin", data);
        cutAfter.put("/big.bin", 200_000);
        RemoteFile file = new RemoteFile(url("/big.bin"), "big.bin", (long) data.length, sha256(data), null, null);

        assertThatThrownBy(() -> new Downloader(false, 5000).fetch(file, dir)).isInstanceOf(IOException.class)
                .hasMessageContaining("interrupted after 200000 of 500000 bytes");
        assertThat(Files.size(dir.resolve("big.bin.part"))).isEqualTo(200_000);

        // The next attempt asks only for the rest.
        Path fetched = new Downloader(false, 5000).fetch(file, dir);

        assertThat(rangeHeaders).containsExactly("none", "bytes=200000-");
        assertThat(Files.readAllBytes(fetched)).isEqualTo(data);
    }

    @Test
    void offlineErrorSaysWhichFileToPlaceWhere() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            closedPort = socket.getLocalPort();
        }
        RemoteFile file = new RemoteFile("http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz",
                "cifar-10-binary.tar.gz", null, null, "c32a1d4ab5d03f1284b67883e8d87530", null);

        assertThatThrownBy(() -> new Downloader(false, 2000).fetch(file, dir.resolve("cifar10")))
                .hasMessageContaining("cannot reach http://127.0.0.1:" + closedPort + "/cifar-10-binary.tar.gz")
                .hasMessageContaining("place it as " + dir.resolve("cifar10/cifar-10-binary.tar.gz"));
    }

    @Test
    void maliciousArchiveEntriesAreRejectedBeforeAnythingIsWritten() throws Exception {
        Path tar = dir.resolve("evil.tar.gz");
        try (TarArchiveOutputStream out = new TarArchiveOutputStream(
                new java.util.zip.GZIPOutputStream(Files.newOutputStream(tar)))) {
            for (String name : new String[]{"set/ok.txt", "set/../../escaped.txt"}) {
                TarArchiveEntry entry = new TarArchiveEntry(name, true); // preserve the name as written
                entry.setSize(2);
                out.putArchiveEntry(entry);
                out.write(new byte[]{'h', 'i'});
                out.closeArchiveEntry();
            }
        }
        Path target = dir.resolve("out/inner");
        assertThatThrownBy(() -> SafeExtractor.extract(tar, target, 0))
                .isInstanceOf(SafeExtractor.UnsafeEntryException.class)
                .hasMessageContaining("set/../../escaped.txt")
                .hasMessageContaining("'..'");
        assertThat(dir.resolve("escaped.txt")).doesNotExist();
        assertThat(dir.resolve("out/escaped.txt")).doesNotExist();
        assertThat(target.resolve("set/ok.txt")).doesNotExist();

        Path zip = dir.resolve("evil.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("/etc/evil.txt"));
            out.write('x');
            out.closeEntry();
        }
        assertThatThrownBy(() -> SafeExtractor.extract(zip, target, 0))
                .isInstanceOf(SafeExtractor.UnsafeEntryException.class)
                .hasMessageContaining("absolute path");
    }

    @Test
    void githubStyleZipIsExtractedWithItsTopFolderStripped() throws Exception {
        Path zip = dir.resolve("repo.zip");
        try (ZipOutputStream out = new ZipOutputStream(Files.newOutputStream(zip))) {
            out.putNextEntry(new ZipEntry("Repo-abc123/"));
            out.closeEntry();
            out.putNextEntry(new ZipEntry("Repo-abc123/train/a/1.png"));
            out.write(new byte[]{1, 2, 3});
            out.closeEntry();
        }
        SafeExtractor.extract(zip, dir.resolve("scene"), 1);
        assertThat(Files.readAllBytes(dir.resolve("scene/train/a/1.png"))).containsExactly(1, 2, 3);
    }

    @Test
    void fetchesAWholeDataSetAndChecksItIsReadable() throws Exception {
        IdxDataset mnist = IdxDataset.mnist();
        java.util.List<RemoteFile> files = new java.util.ArrayList<>();
        Map<String, byte[]> idx = Map.of(
                "train-images-idx3-ubyte.gz", TestData.gzip(idxImages(2)),
                "train-labels-idx1-ubyte.gz", TestData.gzip(new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 3, 4}),
                "t10k-images-idx3-ubyte.gz", TestData.gzip(idxImages(2)),
                "t10k-labels-idx1-ubyte.gz", TestData.gzip(new byte[]{0, 0, 8, 1, 0, 0, 0, 2, 5, 6}));
        for (Map.Entry<String, byte[]> e : idx.entrySet()) {
            content.put("/mnist/" + e.getKey(), e.getValue());
            files.add(new RemoteFile(url("/mnist/" + e.getKey()), e.getKey(), null, null, md5(e.getValue()), null));
        }
        DatasetDownloads downloads = new DatasetDownloads(Map.of("mnist", files));

        Path folder = downloads.fetch(mnist, dir, new Downloader(false, 5000));

        assertThat(folder).isEqualTo(dir.resolve("mnist"));
        assertThat(mnist.read(io.github.dl4jclassics.data.DataFiles.of(folder), io.github.dl4jclassics.data.Subset.TEST, null)
                .labels()).containsExactly(5, 6);
        assertThat(DatasetDownloads.standard().files("cifar10").get(0).md5()).isEqualTo("c32a1d4ab5d03f1284b67883e8d87530");
        assertThat(DatasetDownloads.standard().has("scene")).isTrue();
    }

    private static byte[] idxImages(int count) {
        byte[] bytes = new byte[16 + count * 4];
        bytes[2] = 8;
        bytes[3] = 3;
        bytes[7] = (byte) count;
        bytes[11] = 2;
        bytes[15] = 2;
        return bytes;
    }
}
