package io.github.dl4jclassics.data.readers;

import io.github.dl4jclassics.common.InputShape;
import java.io.DataInputStream;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import org.datavec.api.conf.Configuration;
import org.datavec.api.records.Record;
import org.datavec.api.records.metadata.RecordMetaData;
import org.datavec.api.records.metadata.RecordMetaDataIndex;
import org.datavec.api.records.reader.BaseRecordReader;
import org.datavec.api.split.InputSplit;
import org.datavec.api.writable.IntWritable;
import org.datavec.api.writable.NDArrayWritable;
import org.datavec.api.writable.Writable;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A DataVec record reader over images held as bytes (channels first), for file formats that hold many images in
 * one file (IDX, CIFAR binaries). Each record is {@code [NDArrayWritable (1, C, H, W) float 0..255, IntWritable label]},
 * the shape and value range of DataVec's {@code ImageRecordReader}, so {@code RecordReaderDataSetIterator(reader,
 * batchSize, 1, numClasses)} batches it. Subclasses parse their files in {@link #initialize(InputSplit)}.
 */
public abstract class ImageBytesRecordReader extends BaseRecordReader {

    private byte[] pixels;
    private int[] labels;
    private InputShape shape;
    private List<String> classNames = List.of();
    private URI source;
    private int cursor;
    private Configuration conf;

    /** Called by subclasses once their files are parsed. */
    protected final void setImages(byte[] imagePixels, int[] imageLabels, InputShape imageShape, List<String> names,
                                   URI from) {
        if ((long) imageLabels.length * imageShape.size() != imagePixels.length) {
            throw new IllegalArgumentException(imagePixels.length + " pixel values do not hold " + imageLabels.length
                    + " images of " + imageShape);
        }
        this.pixels = imagePixels;
        this.labels = imageLabels;
        this.shape = imageShape;
        this.classNames = List.copyOf(names);
        this.source = from;
        this.cursor = 0;
    }

    /** Number of images read. */
    public int count() {
        return labels == null ? 0 : labels.length;
    }

    /**
     * Copies the bytes of image {@code index} (channels first) into {@code target}: how the decoded-image cache takes
     * the images without making an INDArray of each (70,000 small ND4J arrays cost more than parsing the file).
     */
    public void copyImage(int index, byte[] target, int offset) {
        System.arraycopy(pixels, index * shape.size(), target, offset, shape.size());
    }

    /** The label of image {@code index}. */
    public int label(int index) {
        return labels[index];
    }

    /** Shape of one image (C, H, W). */
    public InputShape shape() {
        return shape;
    }

    @Override
    public void initialize(Configuration configuration, InputSplit split) throws IOException, InterruptedException {
        this.conf = configuration;
        initialize(split);
    }

    @Override
    public void setConf(Configuration configuration) {
        this.conf = configuration;
    }

    @Override
    public Configuration getConf() {
        return conf;
    }

    @Override
    public boolean hasNext() {
        return labels != null && cursor < labels.length;
    }

    @Override
    public List<Writable> next() {
        if (!hasNext()) {
            throw new NoSuchElementException(labels == null ? "reader not initialized" : "no more records");
        }
        return record(cursor++);
    }

    private List<Writable> record(int index) {
        int size = shape.size();
        float[] values = new float[size];
        for (int i = 0, p = index * size; i < size; i++, p++) {
            values[i] = pixels[p] & 0xFF;
        }
        INDArray image = Nd4j.create(values, new long[]{1, shape.channels(), shape.height(), shape.width()}, 'c');
        List<Writable> record = new ArrayList<>(2);
        record.add(new NDArrayWritable(image));
        record.add(new IntWritable(labels[index]));
        return record;
    }

    @Override
    public List<String> getLabels() {
        return classNames;
    }

    @Override
    public void reset() {
        cursor = 0;
    }

    @Override
    public boolean resetSupported() {
        return true;
    }

    @Override
    public List<Writable> record(URI uri, DataInputStream dataInputStream) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " reads whole files, not single records");
    }

    @Override
    public Record nextRecord() {
        int index = cursor;
        List<Writable> next = next();
        return new org.datavec.api.records.impl.Record(next, new RecordMetaDataIndex(index, source, getClass()));
    }

    @Override
    public Record loadFromMetaData(RecordMetaData recordMetaData) {
        int index = (int) ((RecordMetaDataIndex) recordMetaData).getIndex();
        return new org.datavec.api.records.impl.Record(record(index), recordMetaData);
    }

    @Override
    public List<Record> loadFromMetaData(List<RecordMetaData> recordMetaDatas) {
        List<Record> records = new ArrayList<>(recordMetaDatas.size());
        for (RecordMetaData metaData : recordMetaDatas) {
            records.add(loadFromMetaData(metaData));
        }
        return records;
    }

    @Override
    public void close() {
        // everything is in memory
    }
}
