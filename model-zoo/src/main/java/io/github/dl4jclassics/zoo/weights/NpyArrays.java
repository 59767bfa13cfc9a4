package io.github.dl4jclassics.zoo.weights;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reads and writes NumPy {@code .npy} arrays (format versions 1-3). Reading accepts little- or big-endian float32,
 * float64, int8/16/32/64, uint8 and bool, C or Fortran order, and returns float32 arrays (what the networks use);
 * writing produces float32 C-order version 1.0 files.
 */
public final class NpyArrays {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyArrays() {
    }

    public static INDArray read(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        }
    }

    /** Reads one array; {@code what} names the source in error messages. */
    public static INDArray read(InputStream stream, String what) throws IOException {
        DataInputStream in = new DataInputStream(stream);
        byte[] magic = new byte[6];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IOException(what + " is not a .npy array (bad magic)");
        }
        int major = in.readUnsignedByte();
        in.readUnsignedByte();
        byte[] lenBytes = new byte[major == 1 ? 2 : 4];
        in.readFully(lenBytes);
        ByteBuffer lenBuf = ByteBuffer.wrap(lenBytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = major == 1 ? Short.toUnsignedInt(lenBuf.getShort()) : lenBuf.getInt();
        byte[] headerBytes = new byte[headerLength];
        in.readFully(headerBytes);
        String header = new String(headerBytes, major >= 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        String descr = group(DESCR, header, what);
        boolean fortran = group(FORTRAN, header, what).equals("True");
        String shapeText = group(SHAPE, header, what).trim();
        long[] shape = shapeText.isEmpty() ? new long[0]
                : Arrays.stream(shapeText.split(",")).map(String::trim).filter(s -> !s.isEmpty())
                        .mapToLong(Long::parseLong).toArray();
        long count = 1;
        for (long d : shape) {
            count *= d;
        }
        if (count > Integer.MAX_VALUE) {
            throw new IOException(what + ": array of " + count + " values is too large");
        }
        ByteOrder order = descr.charAt(0) == '>' ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        String type = descr.substring(1);
        int itemSize = Integer.parseInt(type.substring(1));
        byte[] raw = new byte[Math.toIntExact(count * itemSize)];
        in.readFully(raw);
        ByteBuffer buf = ByteBuffer.wrap(raw).order(order);
        float[] values = new float[(int) count];
        if (type.equals("f4")) {
            buf.asFloatBuffer().get(values); // the common case, in bulk
        } else {
            for (int i = 0; i < values.length; i++) {
                values[i] = switch (type) {
                    case "f8" -> (float) buf.getDouble();
                    case "i1" -> buf.get();
                    case "u1", "b1" -> Byte.toUnsignedInt(buf.get());
                    case "i2" -> buf.getShort();
                    case "i4" -> buf.getInt();
                    case "i8" -> buf.getLong();
                    default -> throw new IOException(what + ": unsupported dtype '" + descr
                            + "'; expected float32/float64/int/uint8/bool");
                };
            }
        }
        if (shape.length == 0) {
            return Nd4j.scalar(DataType.FLOAT, values[0]);
        }
        return Nd4j.create(values, shape, fortran ? 'f' : 'c').castTo(DataType.FLOAT);
    }

    private static String group(Pattern p, String header, String what) throws IOException {
        Matcher m = p.matcher(header);
        if (!m.find()) {
            throw new IOException(what + ": malformed .npy header '" + header.trim() + "'");
        }
        return m.group(1);
    }

    /** Writes {@code array} as float32, C order, shape as is. */
    public static void write(Path file, INDArray array) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            write(out, array);
        }
    }

    public static void write(OutputStream out, INDArray array) throws IOException {
        writeHeader(out, "<f4", array.shape());
        float[] data = array.castTo(DataType.FLOAT).dup('c').data().asFloat();
        ByteBuffer buf = ByteBuffer.allocate(data.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(data);
        out.write(buf.array());
    }

    /** Writes {@code values} as int64 (NumPy {@code <i8}, what PyTorch's class-index targets are), C order. */
    public static void writeLongs(OutputStream out, long[] values, long... shape) throws IOException {
        long size = 1;
        for (long d : shape) {
            size *= d;
        }
        if (size != values.length) {
            throw new IllegalArgumentException(values.length + " values do not fill shape " + java.util.Arrays.toString(shape));
        }
        writeHeader(out, "<i8", shape);
        ByteBuffer buf = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        out.write(buf.array());
    }

    private static void writeHeader(OutputStream out, String descr, long[] shape) throws IOException {
        StringBuilder shapeText = new StringBuilder("(");
        for (long d : shape) {
            shapeText.append(d).append(", ");
        }
        if (shape.length > 1) {
            shapeText.setLength(shapeText.length() - 2);
        } else if (shape.length == 1) {
            shapeText.setLength(shapeText.length() - 1);
        }
        shapeText.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
        // Header (magic 6 + version 2 + length 2 + dict + '\n') is padded with spaces to a multiple of 64 bytes.
        int total = 10 + dict.length() + 1;
        int padded = (total + 63) / 64 * 64;
        String header = dict + " ".repeat(padded - total) + "\n";
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        head.write(MAGIC);
        head.write(1);
        head.write(0);
        head.write(header.length() & 0xff);
        head.write((header.length() >> 8) & 0xff);
        head.write(header.getBytes(StandardCharsets.ISO_8859_1));
        out.write(head.toByteArray());
    }
}
