#!/usr/bin/env python3
"""Reference PyTorch networks for the parity tests: the notes' code and torchvision's models.

usage: torch_reference.py MODEL_ID CxHxW CLASSES OUT_DIR
Writes OUT_DIR/weights.npz (state_dict, registration order), x.npy (2 random NCHW images), y.npy (eval-mode logits).
Batch-norm statistics and affine parameters are randomised so that they matter.
"""
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision


def flat_size(features, c, h, w):
    with torch.no_grad():
        return features(torch.zeros(1, c, h, w)).numel()


class LeNet(nn.Module):  # seed 004
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.cn1 = nn.Conv2d(c, 6, 5)
        self.cn2 = nn.Conv2d(6, 16, 5)
        n = flat_size(lambda x: self.conv(x), c, h, w)
        self.fc1 = nn.Linear(n, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, classes)

    def conv(self, x):
        x = F.avg_pool2d(F.relu(self.cn1(x)), (2, 2))
        return F.avg_pool2d(F.relu(self.cn2(x)), (2, 2))

    def forward(self, x):
        x = torch.flatten(self.conv(x), 1)
        return self.fc3(F.relu(self.fc2(F.relu(self.fc1(x)))))


class CustomLeNet(nn.Module):  # seed 003
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 128, 8)
        self.pool1 = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(128, 256, 8)
        self.pool2 = nn.MaxPool2d(2, 2)
        self.conv3 = nn.Conv2d(256, 512, 4)
        self.pool3 = nn.MaxPool2d(2, 2)
        self.fc1 = nn.Linear(flat_size(self.conv, c, h, w), 4096)
        self.fc2 = nn.Linear(4096, classes)

    def conv(self, x):
        return self.pool3(self.conv3(self.pool2(self.conv2(self.pool1(self.conv1(x))))))

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(torch.flatten(self.conv(x), 1))))


class AlexNet(nn.Module):  # seeds 004/001, torchvision-style module paths
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(c, 96, 11, 4, 0), nn.ReLU(), nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2), nn.MaxPool2d(3, 2),
            nn.Conv2d(96, 256, 5, 1, 2), nn.ReLU(), nn.LocalResponseNorm(5, alpha=1e-4, beta=0.75, k=2), nn.MaxPool2d(3, 2),
            nn.Conv2d(256, 384, 3, 1, 1), nn.ReLU(),
            nn.Conv2d(384, 384, 3, 1, 1), nn.ReLU(),
            nn.Conv2d(384, 256, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(3, 2))
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(flat_size(self.features, c, h, w), 4096), nn.ReLU(),
            nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, classes))

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def alexnet1(c, h, w, classes):  # seed 000
    f = nn.Sequential(nn.Conv2d(c, 96, 7, 3, 1), nn.Tanh(), nn.Conv2d(96, 256, 4), nn.Tanh(),
                      nn.Conv2d(256, 384, 2), nn.Tanh(), nn.Conv2d(384, 384, 2), nn.Tanh(),
                      nn.Conv2d(384, 256, 2), nn.Tanh())
    return nn.Sequential(f, nn.Flatten(), nn.Dropout(0.5), nn.Linear(flat_size(f, c, h, w), 4096), nn.Tanh(),
                         nn.Dropout(0.5), nn.Linear(4096, 4096), nn.Tanh(), nn.Linear(4096, classes))


def alexnet2(c, h, w, classes):  # seed 000
    f = nn.Sequential(nn.Conv2d(c, 32, 4, 2), nn.ReLU(), nn.MaxPool2d(3, 2), nn.Conv2d(32, 128, 5, padding=2), nn.ReLU(),
                      nn.MaxPool2d(2, 1), nn.Conv2d(128, 196, 3, padding=1), nn.ReLU(),
                      nn.Conv2d(196, 196, 3, padding=1), nn.ReLU(), nn.Conv2d(196, 128, 3, padding=1), nn.ReLU())
    return nn.Sequential(f, nn.Flatten(), nn.Dropout(0.5), nn.Linear(flat_size(f, c, h, w), 2048), nn.ReLU(),
                         nn.Dropout(0.5), nn.Linear(2048, 2048), nn.ReLU(), nn.Linear(2048, classes))


class AlexNetScene(nn.Module):  # seed 003, as written
    def __init__(self, c, h, w, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(c, 96, 5, 1, 2)
        self.LRN1 = nn.LocalResponseNorm(size=5)
        self.pool1 = nn.MaxPool2d(3, 2)
        self.conv2 = nn.Conv2d(96, 256, 5, 1, 2)
        self.LRN2 = nn.LocalResponseNorm(size=5)
        self.pool2 = nn.MaxPool2d(3, 2)
        self.conv3 = nn.Conv2d(256, 384, 3, 1, 1)
        self.conv4 = nn.Conv2d(384, 384, 3, 1, 1)
        self.conv5 = nn.Conv2d(384, 256, 3, 1, 1)
        self.pool3 = nn.MaxPool2d(3, 2)
        self.fc1 = nn.Linear(flat_size(self.conv, c, h, w), 4096)
        self.Drop1 = nn.Dropout(0.5)
        self.fc2 = nn.Linear(4096, classes)
        self.Drop2 = nn.Dropout(0.5)

    def conv(self, x):
        x = self.pool1(self.LRN1(F.relu(self.conv1(x))))
        x = self.pool2(self.LRN2(F.relu(self.conv2(x))))
        x = F.relu(self.conv4(F.relu(self.conv3(x))))
        return self.pool3(F.relu(self.conv5(x)))

    def forward(self, x):
        return self.Drop2(self.fc2(self.Drop1(F.relu(self.fc1(torch.flatten(self.conv(x), 1))))))


def vggnet_note(c, h, w, classes):  # seed 001 "VGGNet"
    layers, cin = [], c
    for cout in (64, 128, 256, 512, 512):
        layers += [nn.Conv2d(cin, cout, 3, 1, 1), nn.ReLU(), nn.Conv2d(cout, cout, 3, 1, 1), nn.ReLU(), nn.MaxPool2d(2, 2)]
        cin = cout
    f = nn.Sequential(*layers)
    return nn.Sequential(f, nn.Flatten(), nn.Dropout(0.5), nn.Linear(flat_size(f, c, h, w), 4096), nn.ReLU(),
                         nn.Dropout(0.5), nn.Linear(4096, 4096), nn.ReLU(), nn.Linear(4096, classes))


VGG_CFG = {
    "vgg11": "64 M 128 M 256 256 M 512 512 M 512 512 M",
    "vgg11-lrn": "64 L M 128 M 256 256 M 512 512 M 512 512 M",
    "vgg13": "64 64 M 128 128 M 256 256 M 512 512 M 512 512 M",
    "vgg16-c": "64 64 M 128 128 M 256 256 1x1:256 M 512 512 1x1:512 M 512 512 1x1:512 M",
    "vgg16": "64 64 M 128 128 M 256 256 256 M 512 512 512 M 512 512 512 M",
    "vgg19": "64 64 M 128 128 M 256 256 256 256 M 512 512 512 512 M 512 512 512 512 M",
}


def vgg(model_id, c, h, w, classes):  # torchvision VGG; the 7x7 adaptive pool is the identity at 224
    bn = model_id.endswith("-bn")
    layers, cin = [], c
    for item in VGG_CFG[model_id.replace("-bn", "")].split():
        if item == "M":
            layers.append(nn.MaxPool2d(2, 2))
        elif item == "L":  # paper's LRN (alpha not divided by n) = PyTorch alpha 5 * 1e-4
            layers.append(nn.LocalResponseNorm(5, alpha=5e-4, beta=0.75, k=2))
        else:
            k = 1 if item.startswith("1x1:") else 3
            cout = int(item[4:]) if k == 1 else int(item)
            layers.append(nn.Conv2d(cin, cout, k, padding=k // 2))
            layers += [nn.BatchNorm2d(cout), nn.ReLU()] if bn else [nn.ReLU()]
            cin = cout
    m = torchvision.models.vgg.VGG(nn.Sequential(*layers), num_classes=classes)
    if h != 224 or w != 224:  # the zoo omits the adaptive pool: flatten what the features give
        m.avgpool = nn.Identity()
        m.classifier[0] = nn.Linear(flat_size(m.features, c, h, w), 4096)
    return m


def build(model_id, c, h, w, classes):
    if model_id in ("lenet5", "lenet-scene"):
        return LeNet(c, h, w, classes)
    if model_id == "custom-lenet-scene":
        return CustomLeNet(c, h, w, classes)
    if model_id in ("alexnet", "alexnet-cifar10-128"):
        return AlexNet(c, h, w, classes)
    if model_id == "alexnet-torchvision":  # note 004's model, torchvision's module paths
        return torchvision.models.alexnet(weights=None, num_classes=classes)
    if model_id == "alexnet1-cifar100":
        return alexnet1(c, h, w, classes)
    if model_id == "alexnet2-cifar100":
        return alexnet2(c, h, w, classes)
    if model_id == "alexnet-scene":
        return AlexNetScene(c, h, w, classes)
    if model_id == "vggnet-cifar10-128":
        return vggnet_note(c, h, w, classes)
    if model_id.startswith("vgg"):
        return vgg(model_id, c, h, w, classes)
    if model_id.startswith("resnet"):
        return getattr(torchvision.models, model_id)(num_classes=classes)
    raise SystemExit("unknown model " + model_id)


def main():
    model_id, shape, classes, out = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    c, h, w = (int(v) for v in shape.split("x"))
    torch.manual_seed(7)
    m = build(model_id, c, h, w, classes)
    for mod in m.modules():
        if isinstance(mod, nn.BatchNorm2d):
            nn.init.uniform_(mod.running_mean, -0.5, 0.5)
            nn.init.uniform_(mod.running_var, 0.5, 2.0)
            nn.init.uniform_(mod.weight, 0.5, 1.5)
            nn.init.uniform_(mod.bias, -0.5, 0.5)
    m.eval()
    x = torch.rand(2, c, h, w) * 2 - 1
    with torch.no_grad():
        y = m(x)
    np.savez(out + "/weights.npz", **{k: v.detach().numpy() for k, v in m.state_dict().items()})
    np.save(out + "/x.npy", x.numpy().astype(np.float32))
    np.save(out + "/y.npy", y.numpy().astype(np.float32))
    print(sum(p.numel() for p in m.parameters()))


if __name__ == "__main__":
    main()
