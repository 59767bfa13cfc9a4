package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.datasets.CifarDataset;
import io.github.dl4jclassics.data.datasets.IdxDataset;
import io.github.dl4jclassics.data.datasets.ImageFolderDataset;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every data set id the manifests may name. */
public final class DatasetRegistry {

    private static final DatasetRegistry STANDARD = new DatasetRegistry(List.of(
            IdxDataset.fashionMnist(),
            IdxDataset.mnist(),
            CifarDataset.cifar10(),
            CifarDataset.cifar100(),
            ImageFolderDataset.scene(),
            ImageFolderDataset.generic()));

    private final Map<String, DatasetSource> sources = new LinkedHashMap<>();

    public DatasetRegistry(Collection<? extends DatasetSource> sources) {
        for (DatasetSource source : sources) {
            if (this.sources.put(source.id(), source) != null) {
                throw new IllegalArgumentException("duplicate data set id " + source.id());
            }
        }
    }

    public static DatasetRegistry standard() {
        return STANDARD;
    }

    public boolean contains(String id) {
        return sources.containsKey(id);
    }

    public DatasetSource get(String id) {
        DatasetSource source = sources.get(id);
        if (source == null) {
            throw new IllegalArgumentException("unknown data set id '" + id + "'; valid ids: " + String.join(", ", ids()));
        }
        return source;
    }

    public List<String> ids() {
        return List.copyOf(sources.keySet());
    }
}
