package io.github.dl4jclassics.data.bench;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.datasets.CifarDataset;
import io.github.dl4jclassics.data.datasets.IdxDataset;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.HorizontalFlip;
import io.github.dl4jclassics.data.transforms.Mixup;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.data.transforms.PcaColour;
import io.github.dl4jclassics.data.transforms.PcaEigen;
import io.github.dl4jclassics.data.transforms.RandomCrop;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.data.transforms.DataVecTransforms;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;

/**
 * Images per second of each reader and of the full training augmentation chain (through
 * {@link ImageSetIterator}, ND4J arrays included). Synthetic files are written in the official formats under a
 * work folder; Fashion-MNIST is read from its real files when a folder is given.
 */
public final class DataBenchmark {

    private DataBenchmark() {
    }

    /** One measurement. */
    public record Result(String name, int images, double seconds, String note) {
        public double imagesPerSecond() {
            return images / seconds;
        }

        @Override
        public String toString() {
            return String.format("%-40s %8d images %8.2f s %12.0f images/s  %s", name, images, seconds, imagesPerSecond(), note);
        }
    }

    /**
     * Runs every benchmark.
     *
     * @param workDir         scratch folder for synthetic files (created; left in place)
     * @param fashionMnistDir folder of the real Fashion-MNIST .gz files, or null to skip that reader
     */
    public static List<Result> run(Path workDir, Path fashionMnistDir) throws IOException {
        List<Result> results = new ArrayList<>();
        if (fashionMnistDir != null && Files.isDirectory(fashionMnistDir)) {
            results.add(idx(fashionMnistDir));
        }
        results.add(cifar(workDir.resolve("cifar10"), 2000));
        results.add(imageFolder(workDir.resolve("scene"), 600, 64));
        results.add(dataVecImageTransforms(workDir.resolve("scene"), 64));
        ImageSet cifarLike = random(10_000, new InputShape(3, 32, 32));
        results.add(chain("augmentation chain 3x32x32 (crop, flip, PCA, norm)", cifarLike, List.of(new RandomCrop(null, 4),
                new HorizontalFlip(0.5), new PcaColour(null, PcaEigen.compute(cifarLike)),
                Normalize.of(ChannelStatistics.compute(cifarLike))), 64, 3));
        ImageSet sceneLike = random(4_000, new InputShape(3, 64, 64));
        results.add(chain("augmentation chain 3x64x64 (flip, norm, mixup)", sceneLike, List.of(new HorizontalFlip(0.5),
                Normalize.of(ChannelStatistics.compute(sceneLike)), new Mixup(0.2)), 64, 3));
        ImageSet big = random(1_000, new InputShape(3, 128, 128));
        results.add(chain("augmentation chain 3x128x128 (flip, norm)", big, List.of(new HorizontalFlip(0.7),
                Normalize.of(ChannelStatistics.compute(big))), 64, 2));
        return results;
    }

    static Result idx(Path folder) throws IOException {
        long start = System.nanoTime();
        IdxDataset source = IdxDataset.fashionMnist();
        ImageSet train = source.read(DataFiles.of(folder), Subset.TRAIN, null);
        ImageSet test = source.read(DataFiles.of(folder), Subset.TEST, null);
        return new Result("reader idx (real Fashion-MNIST .gz)", train.size() + test.size(), seconds(start),
                "IdxRecordReader, bytes to the cache");
    }

    static Result cifar(Path folder, int perBatch) throws IOException {
        Files.createDirectories(folder);
        Random random = new Random(1);
        byte[] names = "airplane\nautomobile\nbird\ncat\ndeer\ndog\nfrog\nhorse\nship\ntruck\n".getBytes();
        Files.write(folder.resolve("batches.meta.txt"), names);
        for (String name : List.of("data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin",
                "data_batch_5.bin", "test_batch.bin")) {
            byte[] data = new byte[perBatch * 3073];
            random.nextBytes(data);
            for (int r = 0; r < perBatch; r++) {
                data[r * 3073] = (byte) (r % 10);
            }
            Files.write(folder.resolve(name), data);
        }
        long start = System.nanoTime();
        DataConfig config = new DataConfig("cifar10", null, null, null, null);
        ImageSet train = CifarDataset.cifar10().read(DataFiles.of(folder), Subset.TRAIN, config);
        return new Result("reader cifar10 (binary batches)", train.size(), seconds(start),
                "CifarRecordReader, bytes to the cache; synthetic, official format");
    }

    static Result imageFolder(Path folder, int count, int size) throws IOException {
        Random random = new Random(2);
        for (int i = 0; i < count; i++) {
            Path file = folder.resolve("c" + (i % 6)).resolve(i + ".jpg");
            if (Files.exists(file)) {
                continue;
            }
            Files.createDirectories(file.getParent());
            BufferedImage image = new BufferedImage(150, 150, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 150; y++) {
                for (int x = 0; x < 150; x++) {
                    image.setRGB(x, y, (x * 255 / 150) << 16 | (y * 255 / 150) << 8 | random.nextInt(256));
                }
            }
            ImageIO.write(image, "jpg", file.toFile());
        }
        long start = System.nanoTime();
        ImageFolderReader.Listing listing = ImageFolderReader.list(folder, null);
        // No cache directory: every image is decoded, as on a first run.
        ImageSet images = ImageFolderReader.read(listing, null,
                new LoadOptions(new InputShape(3, size, size), null, 1L << 30), "bench").images();
        return new Result("reader image-folder (150x150 JPEG -> " + size + ")", images.size(), seconds(start),
                "ImageRecordReader (OpenCV) decode + resize, " + Runtime.getRuntime().availableProcessors()
                        + " threads, first run (no cache)");
    }

    /**
     * A plain DataVec pipeline of one's own: ImageRecordReader decoding the JPEGs every epoch, with the project's flip
     * and PCA colour ImageTransforms, batched by RecordReaderDataSetIterator (what the README shows; not the trainer's
     * path, which decodes once).
     */
    static Result dataVecImageTransforms(Path folder, int size) throws IOException {
        ImageSet sample = ImageFolderReader.read(ImageFolderReader.list(folder, null), null,
                new LoadOptions(new InputShape(3, size, size), null, 1L << 30), "bench").images();
        ImageTransform augment = DataVecTransforms.training(List.of(new HorizontalFlip(0.5),
                new PcaColour(null, PcaEigen.compute(sample))), null, 1);
        ImageRecordReader reader = new ImageRecordReader(size, size, 3, new ParentPathLabelGenerator(), augment);
        reader.initialize(new FileSplit(folder.toFile(), new String[]{"jpg"}, new Random(1)));
        RecordReaderDataSetIterator batches = new RecordReaderDataSetIterator(reader, 64, 1, reader.getLabels().size());
        long start = System.nanoTime();
        int count = 0;
        while (batches.hasNext()) {
            count += batches.next().numExamples();
        }
        return new Result("DataVec ImageRecordReader + flip, PCA (" + size + ")", count, seconds(start),
                "decodes every epoch; one thread; for own pipelines");
    }

    static Result chain(String name, ImageSet images, List<BatchTransform> transforms, int batchSize, int epochs) {
        ImageSetIterator iterator = new ImageSetIterator(images, batchSize, transforms, true, 1);
        iterator.next(); // warm-up
        iterator.reset();
        long start = System.nanoTime();
        int count = 0;
        for (int e = 0; e < epochs; e++) {
            while (iterator.hasNext()) {
                count += iterator.next().numExamples();
            }
            iterator.reset();
        }
        return new Result(name, count, seconds(start), "one thread, batch " + batchSize + ", to INDArray");
    }

    private static ImageSet random(int count, InputShape shape) {
        byte[] pixels = new byte[count * shape.size()];
        new Random(3).nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 10;
        }
        return new ImageSet(pixels, labels, shape, List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"), "random");
    }

    private static double seconds(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** {@code java ... DataBenchmark [workDir] [fashionMnistDir]}. */
    public static void main(String[] args) throws IOException {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("bench-data");
        Path fashion = args.length > 1 ? Path.of(args[1]) : null;
        for (Result result : run(work, fashion)) {
            System.out.println(result);
        }
    }
}
