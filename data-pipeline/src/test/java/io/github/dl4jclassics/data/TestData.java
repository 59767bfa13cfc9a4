package io.github.dl4jclassics.data;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/** Writes small data sets in the exact official formats, for the tests. */
public final class TestData {

    private TestData() {
    }

    /** One CIFAR record: label byte(s) then R, G, B planes of 32x32, pixel value = f(record, channel, position). */
    public static byte[] cifarRecords(int count, int[] labelBytesPerRecord, int labelBytes, int seed) {
        int size = labelBytes + 3072;
        byte[] data = new byte[count * size];
        Random random = new Random(seed);
        for (int r = 0; r < count; r++) {
            for (int l = 0; l < labelBytes; l++) {
                data[r * size + l] = (byte) labelBytesPerRecord[r * labelBytes + l];
            }
            for (int i = 0; i < 3072; i++) {
                data[r * size + labelBytes + i] = (byte) random.nextInt(256);
            }
        }
        return data;
    }

    /** A CIFAR-10 binary folder layout: 5 train batches of {@code perBatch} records, a test batch, the names file. */
    public static Map<String, byte[]> cifar10Members(int perBatch, int testCount) {
        java.util.LinkedHashMap<String, byte[]> members = new java.util.LinkedHashMap<>();
        members.put("batches.meta.txt", ("airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n")
                .getBytes(StandardCharsets.US_ASCII));
        for (int b = 1; b <= 5; b++) {
            int[] labels = new int[perBatch];
            for (int i = 0; i < perBatch; i++) {
                labels[i] = (b * 7 + i) % 10;
            }
            members.put("data_batch_" + b + ".bin", cifarRecords(perBatch, labels, 1, b));
        }
        int[] testLabels = new int[testCount];
        for (int i = 0; i < testCount; i++) {
            testLabels[i] = i % 10;
        }
        members.put("test_batch.bin", cifarRecords(testCount, testLabels, 1, 99));
        return members;
    }

    public static Map<String, byte[]> cifar100Members(int trainCount, int testCount) {
        java.util.LinkedHashMap<String, byte[]> members = new java.util.LinkedHashMap<>();
        StringBuilder fine = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            fine.append("fine").append(i).append('\n');
        }
        StringBuilder coarse = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            coarse.append("coarse").append(i).append('\n');
        }
        members.put("fine_label_names.txt", fine.toString().getBytes(StandardCharsets.US_ASCII));
        members.put("coarse_label_names.txt", coarse.toString().getBytes(StandardCharsets.US_ASCII));
        members.put("train.bin", cifarRecords(trainCount, cifar100Labels(trainCount), 2, 5));
        members.put("test.bin", cifarRecords(testCount, cifar100Labels(testCount), 2, 6));
        return members;
    }

    /** Coarse label i % 20, fine label (i * 3) % 100 for record i. */
    static int[] cifar100Labels(int count) {
        int[] labels = new int[count * 2];
        for (int i = 0; i < count; i++) {
            labels[2 * i] = i % 20;
            labels[2 * i + 1] = (i * 3) % 100;
        }
        return labels;
    }

    public static void writeFolder(Path dir, Map<String, byte[]> members) throws IOException {
        Files.createDirectories(dir);
        for (Map.Entry<String, byte[]> member : members.entrySet()) {
            Files.write(dir.resolve(member.getKey()), member.getValue());
        }
    }

    /** A .tar.gz with the members under {@code folder/}, as the official archives are laid out. */
    public static void writeTarGz(Path archive, String folder, Map<String, byte[]> members) throws IOException {
        Files.createDirectories(archive.getParent());
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(archive));
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out)) {
            TarArchiveEntry dirEntry = new TarArchiveEntry(folder + "/");
            tar.putArchiveEntry(dirEntry);
            tar.closeArchiveEntry();
            for (Map.Entry<String, byte[]> member : members.entrySet()) {
                TarArchiveEntry entry = new TarArchiveEntry(folder + "/" + member.getKey());
                entry.setSize(member.getValue().length);
                tar.putArchiveEntry(entry);
                tar.write(member.getValue());
                tar.closeArchiveEntry();
            }
        }
    }

    /** A solid-colour RGB image written as PNG (lossless) or JPEG. */
    public static void writeImage(Path file, int width, int height, int r, int g, int b, String format) throws IOException {
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_3BYTE_BGR);
        int rgb = (r << 16) | (g << 8) | b;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                image.setRGB(x, y, rgb);
            }
        }
        Files.createDirectories(file.getParent());
        if (!ImageIO.write(image, format, file.toFile())) {
            throw new IOException("no writer for " + format);
        }
    }

    public static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
            out.write(data);
        }
        return bytes.toByteArray();
    }
}
