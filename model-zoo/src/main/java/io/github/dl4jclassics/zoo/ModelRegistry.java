package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.zoo.models.AlexNet;
import io.github.dl4jclassics.zoo.models.CustomLeNet;
import io.github.dl4jclassics.zoo.models.LeNet5;
import io.github.dl4jclassics.zoo.models.ResNet;
import io.github.dl4jclassics.zoo.models.Vgg;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Every model id of the project, in listing order. The one place to look a model up by name. */
public final class ModelRegistry {

    private static final ModelRegistry STANDARD = new ModelRegistry(standardModels());

    private final Map<String, ClassicModel> models = new LinkedHashMap<>();

    public ModelRegistry(Collection<? extends ClassicModel> models) {
        for (ClassicModel model : models) {
            if (this.models.put(model.id(), model) != null) {
                throw new IllegalArgumentException("duplicate model id " + model.id());
            }
        }
    }

    private static List<ClassicModel> standardModels() {
        List<ClassicModel> all = new ArrayList<>(List.of(
                new LeNet5(), LeNet5.scene(), new CustomLeNet(),
                AlexNet.imagenet(), AlexNet.torchvision(), AlexNet.cifar10At128(), AlexNet.cifar100First(), AlexNet.cifar100Second(),
                AlexNet.scene()));
        all.addAll(Vgg.all());
        all.addAll(ResNet.all());
        return all;
    }

    public static ModelRegistry standard() {
        return STANDARD;
    }

    public boolean contains(String id) {
        return models.containsKey(id);
    }

    /** The model with this id; the error lists every valid id. */
    public ClassicModel get(String id) {
        ClassicModel model = models.get(id);
        if (model == null) {
            throw new UnknownModelException(id, ids());
        }
        return model;
    }

    public List<String> ids() {
        return List.copyOf(models.keySet());
    }

    public Collection<ClassicModel> all() {
        return Collections.unmodifiableCollection(models.values());
    }

    /** Thrown for an id that is not registered; names the valid ids. */
    public static final class UnknownModelException extends IllegalArgumentException {
        private final List<String> validIds;

        UnknownModelException(String id, List<String> validIds) {
            super("unknown model id '" + id + "'; valid ids: " + String.join(", ", validIds));
            this.validIds = validIds;
        }

        public List<String> validIds() {
            return validIds;
        }
    }
}
