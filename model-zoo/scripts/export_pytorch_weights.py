#!/usr/bin/env python3
"""Export a PyTorch model's state_dict as .npz for dl4j-classics' NpzWeights / `predict --weights`.

    python3 export_pytorch_weights.py CHECKPOINT.pt OUT.npz         # a saved state_dict or whole module
    python3 export_pytorch_weights.py --torchvision resnet18 OUT.npz  # torchvision ImageNet weights (downloads)

In your own code: export(model, "out.npz"). Keys keep PyTorch's names and registration order (np.savez
preserves it): the zoo maps alexnet/vgg*/resnet* by name, the notes' own models by order.
"""
import sys

import numpy as np
import torch


def export(model_or_state_dict, path):
    sd = model_or_state_dict.state_dict() if hasattr(model_or_state_dict, "state_dict") else model_or_state_dict
    np.savez(path, **{k: v.detach().cpu().numpy() for k, v in sd.items()})


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--torchvision":
        import torchvision
        export(getattr(torchvision.models, sys.argv[2])(weights="DEFAULT"), sys.argv[3])
    elif len(sys.argv) == 3:
        export(torch.load(sys.argv[1], map_location="cpu"), sys.argv[2])
    else:
        sys.exit(__doc__)
