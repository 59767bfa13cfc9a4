package io.github.dl4jclassics.spark;

import java.awt.image.BufferedImage;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPInputStream;
import javax.imageio.ImageIO;

/**
 * Class-per-folder JPEG sets in the scene layout ({@code train/<class>/*.jpg}, {@code test/<class>/*.jpg}, six
 * classes) for tests and checks on machines without the scene photos.
 */
final class SceneFolders {

    static final List<String> CLASSES = List.of("buildings", "forest", "glacier", "mountain", "sea", "street");

    private SceneFolders() {
    }

    /** Synthetic 32x32 colour images: each class its own colour and stripe direction, with per-pixel noise. */
    static void writeSynthetic(Path root, int trainPerClass, int testPerClass, long seed) throws IOException {
        Random random = new Random(seed);
        int[][] colours = {{200, 60, 60}, {60, 200, 60}, {60, 60, 200}, {200, 200, 60}, {60, 200, 200}, {200, 60, 200}};
        for (String split : List.of("train", "test")) {
            int count = split.equals("train") ? trainPerClass : testPerClass;
            for (int c = 0; c < CLASSES.size(); c++) {
                Path folder = Files.createDirectories(root.resolve(split).resolve(CLASSES.get(c)));
                for (int i = 0; i < count; i++) {
                    BufferedImage image = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
                    for (int y = 0; y < 32; y++) {
                        for (int x = 0; x < 32; x++) {
                            boolean stripe = ((c % 2 == 0 ? x : y) / 4) % 2 == 0;
                            int r = clamp(colours[c][0] * (stripe ? 1 : 0.5) + random.nextGaussian() * 20);
                            int g = clamp(colours[c][1] * (stripe ? 1 : 0.5) + random.nextGaussian() * 20);
                            int b = clamp(colours[c][2] * (stripe ? 1 : 0.5) + random.nextGaussian() * 20);
                            image.setRGB(x, y, (r << 16) | (g << 8) | b);
                        }
                    }
                    ImageIO.write(image, "jpg", folder.resolve(CLASSES.get(c) + "-" + i + ".jpg").toFile());
                }
            }
        }
    }

    /**
     * Fashion-MNIST images of classes 0..5 as grey JPEGs under the six scene class names: {@code trainPerClass} from
     * the training IDX files and {@code testPerClass} from the test IDX files of {@code fashionMnistDir}.
     */
    static void writeFromFashionMnist(Path fashionMnistDir, Path root, int trainPerClass, int testPerClass) throws IOException {
        writeIdx(fashionMnistDir.resolve("train-images-idx3-ubyte.gz"), fashionMnistDir.resolve("train-labels-idx1-ubyte.gz"),
                root.resolve("train"), trainPerClass);
        writeIdx(fashionMnistDir.resolve("t10k-images-idx3-ubyte.gz"), fashionMnistDir.resolve("t10k-labels-idx1-ubyte.gz"),
                root.resolve("test"), testPerClass);
    }

    private static void writeIdx(Path images, Path labels, Path splitRoot, int perClass) throws IOException {
        try (DataInputStream pixels = open(images); DataInputStream classes = open(labels)) {
            pixels.readInt();
            int n = pixels.readInt();
            int rows = pixels.readInt();
            int cols = pixels.readInt();
            classes.readInt();
            classes.readInt();
            int[] written = new int[CLASSES.size()];
            byte[] buffer = new byte[rows * cols];
            for (int i = 0; i < n; i++) {
                pixels.readFully(buffer);
                int label = classes.readUnsignedByte();
                if (label >= CLASSES.size() || written[label] >= perClass) {
                    continue;
                }
                BufferedImage image = new BufferedImage(cols, rows, BufferedImage.TYPE_BYTE_GRAY);
                for (int p = 0; p < buffer.length; p++) {
                    int v = buffer[p] & 0xFF;
                    image.setRGB(p % cols, p / cols, (v << 16) | (v << 8) | v);
                }
                Path folder = Files.createDirectories(splitRoot.resolve(CLASSES.get(label)));
                ImageIO.write(image, "jpg", folder.resolve("fmnist-" + i + ".jpg").toFile());
                written[label]++;
            }
        }
    }

    private static DataInputStream open(Path gz) throws IOException {
        InputStream in = new GZIPInputStream(Files.newInputStream(gz));
        return new DataInputStream(new java.io.BufferedInputStream(in));
    }

    private static int clamp(double v) {
        return (int) Math.max(0, Math.min(255, Math.round(v)));
    }

    /** {@code SceneFolders FASHION_MNIST_DIR OUT_DIR TRAIN_PER_CLASS TEST_PER_CLASS}: the check's scene set. */
    public static void main(String[] args) throws IOException {
        writeFromFashionMnist(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
    }
}
