#!/usr/bin/env bash
# The compose file's Flink session cluster without a registry: a JobManager and a TaskManager, each a container of
# the Tessera image (its Java 17) running Flink 1.19 from a mounted distribution, then the image's CLI submitting a
# limited mnist-lenet to it. The three containers share the host's network (127.0.0.1) and three folders: /work
# (artifacts and runs), the dataset cache and the data mirror (/data), as a real cluster shares storage.
#
#   eval "$(docker/local-base-image.sh)"
#   FLINK_HOME=~/.cache/tessera/apache-flink-libraries-1.19.3/site/pyflink IMAGE=localhost/tessera:cpu \
#       TESSERA_DATA_MIRROR=/path/to/data docker/flink-session.sh /tmp/flink-session
#
# FLINK_HOME: a folder with Flink 1.19's lib/ and bin/bash-java-utils.jar (PyPI's apache-flink-libraries 1.19.3
# ships both; the Flink IT tests install it there). The TaskManager gets Tessera's JVM flags (env.java.opts.all);
# its memory flags come from Flink's own BashJavaUtils. The containers are removed at exit.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dir="${1:?usage: docker/flink-session.sh WORK_FOLDER}"
: "${FLINK_HOME:?set FLINK_HOME to a Flink 1.19 distribution (lib/ and bin/bash-java-utils.jar)}"
: "${TESSERA_DATA_MIRROR:?set TESSERA_DATA_MIRROR to the offline data mirror (a folder holding mnist/)}"
image="${IMAGE:-localhost/tessera:cpu}"
podman=(podman --runtime "${PODMAN_RUNTIME:-runc}")
port="${FLINK_REST_PORT:-18081}"

rm -rf "$dir"
mkdir -p "$dir/conf"
mkdir -m 777 "$dir/work" "$dir/cache"
flags="$(sed -n 's:.*<tessera.jvm.flags>\(.*\)</tessera.jvm.flags>.*:\1:p' "$root/pom.xml")"
cat > "$dir/conf/config.yaml" <<YAML
jobmanager.rpc.address: 127.0.0.1
jobmanager.rpc.port: $((port + 1))
jobmanager.bind-host: 127.0.0.1
jobmanager.memory.process.size: 1024m
rest.address: 127.0.0.1
rest.bind-address: 127.0.0.1
rest.port: $port
taskmanager.host: 127.0.0.1
taskmanager.bind-host: 127.0.0.1
taskmanager.numberOfTaskSlots: 2
taskmanager.memory.process.size: 1536m
blob.server.port: $((port + 2))
env.java.opts.all: $flags
YAML
printf '%s\n' 'rootLogger.level = INFO' 'rootLogger.appenderRef.out.ref = out' 'appender.out.type = Console' \
  'appender.out.name = out' 'appender.out.layout.type = PatternLayout' \
  'appender.out.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n' > "$dir/conf/log4j.properties"

utils="$("${podman[@]}" run --rm --network=none -v "$FLINK_HOME:/flink:ro" -v "$dir/conf:/conf:ro" \
  --entrypoint java "$image" -cp '/flink/bin/bash-java-utils.jar:/flink/lib/*' \
  org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir /conf)"
tm_jvm="$(sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$utils" | sed -n 1p)"
tm_dynamic="$(sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' <<<"$utils" | sed -n 2p)"

shared=(-v "$dir/work:/work" -v "$dir/cache:/home/tessera/.cache" -v "$TESSERA_DATA_MIRROR:/data:ro")
flink=(--network=host -v "$FLINK_HOME/lib:/flink/lib:ro" -v "$dir/conf:/conf:ro" "${shared[@]}" --entrypoint java)
logging=-Dlog4j.configurationFile=/conf/log4j.properties
trap '"${podman[@]}" rm -f tessera-flink-jm tessera-flink-tm >/dev/null 2>&1 || true' EXIT
"${podman[@]}" run -d --name tessera-flink-jm "${flink[@]}" "$image" -Xmx512m "$logging" -cp '/flink/lib/*' \
  org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir /conf >/dev/null
# shellcheck disable=SC2086  # the flag lists are space-separated by design
"${podman[@]}" run -d --name tessera-flink-tm "${flink[@]}" "$image" $tm_jvm $flags "$logging" -cp '/flink/lib/*' \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir /conf $tm_dynamic >/dev/null
for _ in $(seq 90); do
  curl -sf "http://127.0.0.1:$port/overview" | grep -q '"taskmanagers":1' && break
  sleep 2
done
curl -sf "http://127.0.0.1:$port/overview" | grep -q '"taskmanagers":1' \
  || { echo "flink-session: no TaskManager registered at 127.0.0.1:$port within 3 minutes" >&2; exit 1; }

"${podman[@]}" run --rm --network=host "${shared[@]}" -e TESSERA_DATA_MIRROR=/data "$image" run mnist-lenet \
  --plain --set ingest.limit=200 --set train.epochs=1 --runner=FlinkRunner "--flinkMaster=127.0.0.1:$port"
echo "Jobs the cluster ran:"
curl -sf "http://127.0.0.1:$port/jobs/overview" | grep -o '"name":"[^"]*"\|"duration":[0-9]*\|"state":"[A-Z]*"'
