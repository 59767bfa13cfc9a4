#!/usr/bin/env bash
# Nightly GPU regression: build with CUDA + cuDNN, prove the GPU backend is the one in use, make sure the data
# sets and pretrained weights are there, then run `regress --tag nightly --gpu`. Exit code is regress's:
# 0 all passed, 1 an experiment fell below its documented value (regression), 3 an experiment could not run
# (missing data/weights, out of memory), 2 usage; anything else is a build or setup failure of this script.
#
# Environment (all optional):
#   DATA_DIR      data sets root (default ~/.dl4j-classics/data): fashion-mnist/, cifar10/, cifar100/, scene/
#   WEIGHTS_DIR   pretrained weights (default ./weights): resnet{18,50,101,152}-imagenet.npz; python3 with torch is
#                 needed only when some are missing (to export them)
#   OUT_DIR       reports and run folders (default regression/nightly-YYYYMMDD)
#   TAG           manifest tag to run (default nightly)
#   PROFILES      Maven profiles (default cuda; cuda,cuda-redist bundles CUDA 11.6 + cuDNN 8.3, so that the machine
#                 needs only the NVIDIA driver; see the README's GPU section)
#   HEAP          JVM heap (default 16g); OFFHEAP: ND4J off-heap limit (default 20G); see docs/REGRESSION.md
set -euo pipefail
cd "$(dirname "$0")/.."

DATA_DIR=${DATA_DIR:-$HOME/.dl4j-classics/data}
WEIGHTS_DIR=${WEIGHTS_DIR:-weights}
OUT_DIR=${OUT_DIR:-regression/nightly-$(date +%Y%m%d)}
TAG=${TAG:-nightly}
PROFILES=${PROFILES:-cuda}
HEAP=${HEAP:-16g}
OFFHEAP=${OFFHEAP:-20G}
mkdir -p "$OUT_DIR"
LOG="$OUT_DIR/nightly.log"
exec > >(tee -a "$LOG") 2>&1
echo "== $(date -Is) nightly regression, tag $TAG, data $DATA_DIR, out $OUT_DIR"

# 1. Build with the CUDA backend. The javacpp platform must match (linux-x86_64), and -Pcuda adds
#    nd4j-cuda-11.6 plus its linux-x86_64-cudnn classifier (cuDNN helpers).
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
mvn -B -ntp -q -P"$PROFILES" -Djavacpp.platform=linux-x86_64 -DskipTests package -pl experiments -am
JAR=experiments/target/dl4j-classics.jar

JAVA_OPTS=(-Xmx"$HEAP" -Dorg.bytedeco.javacpp.maxbytes="$OFFHEAP" -Dorg.bytedeco.javacpp.maxphysicalbytes="$OFFHEAP"
           -Dorg.eclipse.deeplearning4j.helpers.disable=false -Ddata.dir="$DATA_DIR")

# 2. What ND4J actually runs on: backend class, devices, libnd4j build flags. --gpu makes it fail on CPU, and the
#    build flags must name cuDNN, or the convolution layers run without it (several times slower).
java "${JAVA_OPTS[@]}" -jar "$JAR" regress --gpu --check-backend | tee "$OUT_DIR/backend.txt"
if ! grep -q "cuDNN)" "$OUT_DIR/backend.txt"; then
  echo "error: the CUDA backend is in use but libnd4j reports no cuDNN; add the nd4j-cuda-11.6 linux-x86_64-cudnn" \
       "dependency (-Pcuda does) and install cuDNN 8 for CUDA 11.6" >&2
  exit 10
fi

# 3. Data sets: located in DATA_DIR, downloaded (verified) when missing. Scene and CIFAR come from their public
#    URLs; ImageNet is never downloaded (licence): the weekly job expects it under DATA_DIR/ilsvrc20{10,12}.
for ds in fashion-mnist cifar10 cifar100 scene; do
  if [ ! -d "$DATA_DIR/$ds" ]; then
    java "${JAVA_OPTS[@]}" -jar "$JAR" download "$ds" --data-dir "$DATA_DIR" \
      || echo "warning: could not download $ds; its experiments will be reported as ERROR (missing-data)" >&2
  fi
done
# Which experiments find their data (the last column of `list`):
java "${JAVA_OPTS[@]}" -jar "$JAR" list --data-dir "$DATA_DIR" | sed -n '/^Experiments:/,/^$/p'

# 4. Pretrained weights for the transfer manifests (torchvision ImageNet weights, exported to .npz). Python with
#    torch and torchvision is needed only to export weights that are missing; copy the .npz files from a machine that
#    has them to avoid it (the manifests read weights/NAME-imagenet.npz).
missing=()
for m in resnet18 resnet50 resnet101 resnet152; do
  [ -f "$WEIGHTS_DIR/$m-imagenet.npz" ] || missing+=("$m")
done
if [ ${#missing[@]} -gt 0 ]; then
  if python3 -c 'import torch, torchvision' 2>/dev/null; then
    mkdir -p "$WEIGHTS_DIR"
    for m in "${missing[@]}"; do
      python3 model-zoo/scripts/export_pytorch_weights.py --torchvision "$m" "$WEIGHTS_DIR/$m-imagenet.npz" \
        || echo "warning: could not export $m weights; its manifests will be reported as ERROR (missing-file)" >&2
    done
  else
    echo "warning: no transfer weights for ${missing[*]} in $WEIGHTS_DIR, and no python3 with torch and torchvision" \
         "to export them; their manifests will be reported as ERROR (missing-file). Export them elsewhere with" \
         "model-zoo/scripts/export_pytorch_weights.py --torchvision NAME $WEIGHTS_DIR/NAME-imagenet.npz and copy them here." >&2
  fi
fi
# The manifests read ./weights: point it at WEIGHTS_DIR, but never touch a real weights/ folder (ln into an existing
# directory would create weights/weights).
if [ -d "$WEIGHTS_DIR" ] && [ "$(realpath "$WEIGHTS_DIR")" != "$(realpath -m weights)" ]; then
  if [ -e weights ] && [ ! -L weights ]; then
    echo "warning: ./weights exists and is not a link; the manifests read it, not WEIGHTS_DIR=$WEIGHTS_DIR" >&2
  else
    ln -sfn "$(realpath "$WEIGHTS_DIR")" weights
  fi
fi

# 5. The regression run. No --epochs/--limit: the documented values assume the manifests' full recipes.
set +e
java "${JAVA_OPTS[@]}" -jar "$JAR" regress --tag "$TAG" --gpu --out "$OUT_DIR" --data-dir "$DATA_DIR"
code=$?
set -e
echo "== $(date -Is) regress exit code $code; reports in $OUT_DIR (regression.md, regression.json, TEST-regression.xml)"
exit $code
