package io.github.dl4jclassics.common;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.BaseShapeInfoProvider;

/**
 * An ND4J {@link org.nd4j.linalg.api.ndarray.ShapeInfoProvider} that reuses shape-information buffers for every kind
 * of request (installed by {@link FastPath} on the CPU backend).
 *
 * <p>Why: ND4J 1.0.0-M2.1's CPU provider ({@code DirectShapeInfoProvider}) caches only the {@code extras} overload,
 * while almost every {@code INDArray} constructor calls the {@code DataType} one. Each new array then makes two JavaCPP
 * {@code LongPointer}s and two native calls, and JavaCPP registers each pointer under one global lock and, with
 * {@code maxPhysicalBytes} set, reads the process's memory use from {@code /proc} inside it. A LeNet-5 training step
 * creates hundreds of small arrays: ~15 % of its time (async-profiler, docs/PERFORMANCE.md), and the lock serialises
 * threads that train at the same time. libnd4j keeps shape buffers as shared constants anyway (the returned buffer
 * points into its constant cache), so sharing one buffer per distinct shape is what the extras overload does already.
 */
public final class CachedShapeInfoProvider extends BaseShapeInfoProvider {

    /** Distinct shapes kept; beyond this (a program creating endless new shapes) requests go uncached. */
    static final int MAX_ENTRIES = 20_000;

    private final Map<Key, Pair<DataBuffer, long[]>> cache = new ConcurrentHashMap<>();

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
            char order, DataType dataType, boolean empty) {
        Key key = new Key(shape, stride, elementWiseStride, order, dataType.ordinal(), empty ? 1 : 0, false);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Pair<DataBuffer, long[]> created = super.createShapeInformation(shape, stride, elementWiseStride, order,
                dataType, empty);
        return remember(key, created);
    }

    @Override
    public Pair<DataBuffer, long[]> createShapeInformation(long[] shape, long[] stride, long elementWiseStride,
            char order, long extras) {
        Key key = new Key(shape, stride, elementWiseStride, order, -1, extras, true);
        Pair<DataBuffer, long[]> cached = cache.get(key);
        if (cached != null) {
            return cached;
        }
        Pair<DataBuffer, long[]> created = super.createShapeInformation(shape, stride, elementWiseStride, order, extras);
        return remember(key, created);
    }

    private Pair<DataBuffer, long[]> remember(Key key, Pair<DataBuffer, long[]> created) {
        if (cache.size() >= MAX_ENTRIES) {
            return created;
        }
        Pair<DataBuffer, long[]> previous = cache.putIfAbsent(key.copy(), created);
        if (previous != null) {
            return previous;
        }
        bytes.addAndGet(created.getFirst().length() * 8);
        return created;
    }

    /** Forgets every cached buffer (ND4J calls this when it resets its caches). */
    @Override
    public void purgeCache() {
        cache.clear();
    }

    /** A request's identity; looked up with the caller's arrays, stored with copies of them. */
    private record Key(long[] shape, long[] stride, long elementWiseStride, char order, int dataType, long flags,
            boolean extrasOverload) {

        Key copy() {
            return new Key(shape.clone(), stride.clone(), elementWiseStride, order, dataType, flags, extrasOverload);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key k && elementWiseStride == k.elementWiseStride && order == k.order
                    && dataType == k.dataType && flags == k.flags && extrasOverload == k.extrasOverload
                    && Arrays.equals(shape, k.shape) && Arrays.equals(stride, k.stride);
        }

        @Override
        public int hashCode() {
            int h = Arrays.hashCode(shape) * 31 + Arrays.hashCode(stride);
            h = h * 31 + Long.hashCode(elementWiseStride);
            h = h * 31 + order;
            h = h * 31 + dataType;
            h = h * 31 + Long.hashCode(flags);
            return extrasOverload ? ~h : h;
        }
    }
}
