#!/usr/bin/env bash
# Builds the base images of docker/Dockerfile and docker/Dockerfile.mlflow from Debian packages, for machines where
# no registry serves images, and prints the settings podman needs there. Run as root (or with sudo) on Debian or
# Ubuntu:
#
#   eval "$(docker/local-base-image.sh)"  # sets CONTAINERS_CONF, PODMAN_RUNTIME, TESSERA_BASE_IMAGE, MLFLOW_BASE_IMAGE
#   podman --runtime "$PODMAN_RUNTIME" build --format docker --network=host -f docker/Dockerfile \
#       --build-arg BASE_IMAGE="$TESSERA_BASE_IMAGE" --build-arg JARS=prebuilt -t tessera:cpu .
#
# What it does, each step only when its result is missing:
#   1. apt-get installs podman, runc and mmdebstrap;
#   2. writes a containers.conf with empty default_ulimits: the default ulimits make every container start fail
#      with "setrlimit ... operation not permitted" in an unprivileged sandbox (and so does the default crun
#      runtime, hence runc);
#   3. builds two Debian bookworm root file systems (mmdebstrap, from the machine's own apt sources) into the cache
#      and `podman import`s them: one with a Java 17 runtime (TESSERA_BASE_IMAGE, for the Tessera image) and one
#      with Python 3 and venv (MLFLOW_BASE_IMAGE, for the MLflow server's image).
# The cache is ${TESSERA_CACHE:-~/.cache/tessera}/base-image: later calls take a second.
# Only the settings go to stdout; progress goes to stderr.
set -euo pipefail

image="${TESSERA_BASE_IMAGE:-localhost/tessera-base:bookworm-jre17}"
mlflow_image="${MLFLOW_BASE_IMAGE:-localhost/tessera-base:bookworm-python}"
cache="${TESSERA_CACHE:-$HOME/.cache/tessera}/base-image"
runtime=/usr/sbin/runc

log() { echo "local-base-image: $*" >&2; }

missing=()
command -v podman >/dev/null || missing+=(podman)
[ -x "$runtime" ] || missing+=(runc)
command -v mmdebstrap >/dev/null || missing+=(mmdebstrap)
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    log "${missing[*]} missing: run as root, or install them: sudo apt-get install -y ${missing[*]}"
    exit 1
  fi
  log "installing ${missing[*]} with apt-get"
  DEBIAN_FRONTEND=noninteractive apt-get update -q >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >&2
fi

mkdir -p "$cache"
conf="$cache/containers.conf"
if [ ! -f "$conf" ]; then
  printf '[containers]\ndefault_ulimits = []\n' > "$conf"
fi
export CONTAINERS_CONF="$conf"

# base_image NAME PACKAGES IMAGE: the root file system NAME.tar with PACKAGES, imported as IMAGE.
base_image() {
  local rootfs="$cache/$1.tar"
  if [ ! -f "$rootfs" ]; then
    log "building a Debian bookworm root file system with $2 (a few minutes, once)"
    local partial="$cache/$1.partial.$$.tar"
    mmdebstrap --variant=essential --format=tar --include="$2" bookworm "$partial" >&2
    mv "$partial" "$rootfs"
  fi
  if ! podman --runtime "$runtime" image exists "$3"; then
    log "importing $rootfs as $3"
    podman --runtime "$runtime" import --change 'CMD ["/bin/bash"]' "$rootfs" "$3" >&2
  fi
}
base_image bookworm-jre17 ca-certificates,openjdk-17-jre-headless,passwd "$image"
base_image bookworm-python ca-certificates,libstdc++6,python3,python3-venv,passwd "$mlflow_image"

echo "export CONTAINERS_CONF='$conf'"
echo "export PODMAN_RUNTIME='$runtime'"
echo "export TESSERA_BASE_IMAGE='$image'"
echo "export MLFLOW_BASE_IMAGE='$mlflow_image'"
