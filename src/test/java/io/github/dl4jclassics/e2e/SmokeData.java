package io.github.dl4jclassics.e2e;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;
import javax.imageio.ImageIO;

/**
 * Tiny data sets in the real formats (IDX gz, CIFAR binary, class-per-folder JPEGs), so every manifest's reader
 * runs on every commit. Each class has its own base colour plus noise, so one epoch can learn something.
 */
final class SmokeData {

    static final List<String> SCENE_CLASSES = List.of("buildings", "forest", "glacier", "mountain", "sea", "street");

    private SmokeData() {
    }

    /** Fashion-MNIST layout: the four *-ubyte.gz IDX files. */
    static Path fashionMnist(Path dir, int trainPerClass, int testPerClass) throws IOException {
        Files.createDirectories(dir);
        writeIdx(dir, "train", trainPerClass * 10, 1);
        writeIdx(dir, "t10k", testPerClass * 10, 2);
        return dir;
    }

    private static void writeIdx(Path dir, String prefix, int count, long seed) throws IOException {
        Random random = new Random(seed);
        ByteArrayOutputStream images = new ByteArrayOutputStream();
        ByteArrayOutputStream labels = new ByteArrayOutputStream();
        try (DataOutputStream img = new DataOutputStream(images); DataOutputStream lab = new DataOutputStream(labels)) {
            img.writeInt(0x00000803);
            img.writeInt(count);
            img.writeInt(28);
            img.writeInt(28);
            lab.writeInt(0x00000801);
            lab.writeInt(count);
            for (int i = 0; i < count; i++) {
                int label = i % 10;
                lab.writeByte(label);
                for (int p = 0; p < 28 * 28; p++) {
                    img.writeByte(Math.min(255, label * 25 + random.nextInt(30)));
                }
            }
        }
        gzip(dir.resolve(prefix + "-images-idx3-ubyte.gz"), images.toByteArray());
        gzip(dir.resolve(prefix + "-labels-idx1-ubyte.gz"), labels.toByteArray());
    }

    /** CIFAR-10 binary version: data_batch_1..5.bin, test_batch.bin, batches.meta.txt. */
    static Path cifar10(Path dir, int perBatch, int testCount) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n", StandardCharsets.US_ASCII);
        for (int b = 1; b <= 5; b++) {
            Files.write(dir.resolve("data_batch_" + b + ".bin"), cifarRecords(perBatch, 1, b * 1000, 10));
        }
        Files.write(dir.resolve("test_batch.bin"), cifarRecords(testCount, 1, 0, 10));
        return dir;
    }

    /** CIFAR-100 binary version: train.bin, test.bin (coarse then fine label byte), the two label-name files. */
    static Path cifar100(Path dir, int trainCount, int testCount) throws IOException {
        Files.createDirectories(dir);
        StringBuilder fine = new StringBuilder();
        for (int i = 0; i < 100; i++) {
            fine.append("fine_").append(i).append('\n');
        }
        StringBuilder coarse = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            coarse.append("coarse_").append(i).append('\n');
        }
        Files.writeString(dir.resolve("fine_label_names.txt"), fine, StandardCharsets.US_ASCII);
        Files.writeString(dir.resolve("coarse_label_names.txt"), coarse, StandardCharsets.US_ASCII);
        Files.write(dir.resolve("train.bin"), cifarRecords(trainCount, 2, 0, 100));
        Files.write(dir.resolve("test.bin"), cifarRecords(testCount, 2, 7, 100));
        return dir;
    }

    /** Records: label byte(s), then the R, G and B planes of 32x32; record i has class (i + offset) % classes. */
    private static byte[] cifarRecords(int count, int labelBytes, int offset, int classes) {
        int size = labelBytes + 3072;
        byte[] data = new byte[count * size];
        Random random = new Random(offset + 17L);
        for (int r = 0; r < count; r++) {
            int label = (r + offset) % classes;
            if (labelBytes == 2) {
                data[r * size] = (byte) (label / 5);
                data[r * size + 1] = (byte) label;
            } else {
                data[r * size] = (byte) label;
            }
            int[] colour = colour(label);
            for (int c = 0; c < 3; c++) {
                for (int p = 0; p < 1024; p++) {
                    data[r * size + labelBytes + c * 1024 + p] = (byte) clamp(colour[c] + random.nextInt(41) - 20);
                }
            }
        }
        return data;
    }

    /** The Scene layout of Kaggle's Intel Image Classification: seg_train/CLASS/*.jpg and seg_test/CLASS/*.jpg. */
    static Path scene(Path dir, int trainPerClass, int testPerClass, int side) throws IOException {
        imageTree(dir.resolve("seg_train"), SCENE_CLASSES, trainPerClass, side, 1);
        imageTree(dir.resolve("seg_test"), SCENE_CLASSES, testPerClass, side, 2);
        return dir;
    }

    /** An ImageNet-like image folder: train/CLASS/*.jpg and test/CLASS/*.jpg (WordNet-like class folder names). */
    static Path imageFolder(Path dir, int classes, int trainPerClass, int testPerClass, int side) throws IOException {
        List<String> names = java.util.stream.IntStream.range(0, classes)
                .mapToObj(i -> String.format("n%08d", 1440764 + i)).toList();
        imageTree(dir.resolve("train"), names, trainPerClass, side, 3);
        imageTree(dir.resolve("test"), names, testPerClass, side, 4);
        return dir;
    }

    private static void imageTree(Path root, List<String> classes, int perClass, int side, long seed) throws IOException {
        Random random = new Random(seed);
        for (int c = 0; c < classes.size(); c++) {
            Path folder = Files.createDirectories(root.resolve(classes.get(c)));
            int[] colour = colour(c);
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        int noise = random.nextInt(41) - 20;
                        image.setRGB(x, y, clamp(colour[0] + noise) << 16 | clamp(colour[1] + noise) << 8
                                | clamp(colour[2] + noise));
                    }
                }
                if (!ImageIO.write(image, "jpg", folder.resolve(String.format("%d_%03d.jpg", c, i)).toFile())) {
                    throw new IOException("no JPEG writer");
                }
            }
        }
    }

    /**
     * The Scene layout with textured images: per class a sine pattern of its own frequency, per image a random phase,
     * independent noise per pixel and channel, values well inside 0..255. Unlike the flat colours above, no two pixels
     * tie and no channel is constant, so a network's activations have no exact zeros or ties that two floating-point
     * implementations could resolve differently (for step-by-step comparisons such as {@code TrainingParityTest}).
     */
    static Path texturedScene(Path dir, int trainPerClass, int testPerClass, int side) throws IOException {
        texturedTree(dir.resolve("seg_train"), SCENE_CLASSES, trainPerClass, side, 5);
        texturedTree(dir.resolve("seg_test"), SCENE_CLASSES, testPerClass, side, 6);
        return dir;
    }

    /** CIFAR-10's binary layout with the textured images of {@link #texturedScene}. */
    static Path texturedCifar10(Path dir, int perBatch, int testCount) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("batches.meta.txt"),
                "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n\n", StandardCharsets.US_ASCII);
        for (int b = 0; b <= 5; b++) {
            Random random = new Random(100 + b);
            int count = b == 0 ? testCount : perBatch;
            byte[] data = new byte[count * 3073];
            for (int r = 0; r < count; r++) {
                int label = (r + b) % 10;
                data[r * 3073] = (byte) label;
                double phase = random.nextDouble() * 2 * Math.PI;
                for (int c = 0; c < 3; c++) {
                    for (int p = 0; p < 1024; p++) {
                        data[r * 3073 + 1 + c * 1024 + p] = (byte) texture(label, c, p % 32, p / 32, 32, phase, random);
                    }
                }
            }
            Files.write(dir.resolve(b == 0 ? "test_batch.bin" : "data_batch_" + b + ".bin"), data);
        }
        return dir;
    }

    private static void texturedTree(Path root, List<String> classes, int perClass, int side, long seed) throws IOException {
        Random random = new Random(seed);
        for (int label = 0; label < classes.size(); label++) {
            Path folder = Files.createDirectories(root.resolve(classes.get(label)));
            for (int i = 0; i < perClass; i++) {
                double phase = random.nextDouble() * 2 * Math.PI;
                BufferedImage image = new BufferedImage(side, side, BufferedImage.TYPE_3BYTE_BGR);
                for (int y = 0; y < side; y++) {
                    for (int x = 0; x < side; x++) {
                        image.setRGB(x, y, texture(label, 0, x, y, side, phase, random) << 16
                                | texture(label, 1, x, y, side, phase, random) << 8 | texture(label, 2, x, y, side, phase, random));
                    }
                }
                if (!ImageIO.write(image, "jpg", folder.resolve(String.format("%d_%03d.jpg", label, i)).toFile())) {
                    throw new IOException("no JPEG writer");
                }
            }
        }
    }

    private static int texture(int label, int channel, int x, int y, int side, double phase, Random random) {
        double wave = Math.sin(2 * Math.PI * ((label % 3 + 1) * x + (label / 3 + 1) * y) / side + phase + channel * 2.1);
        return clamp((int) Math.round(128 + 50 * wave + random.nextInt(81) - 40));
    }

    private static int[] colour(int label) {
        return new int[]{(label * 73) % 256, (label * 151 + 60) % 256, (label * 199 + 120) % 256};
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    private static void gzip(Path file, byte[] data) throws IOException {
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(data);
        }
    }
}
