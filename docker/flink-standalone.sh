#!/bin/sh
# A Flink 1.19 JobManager or TaskManager in the foreground, in a container of the Tessera image (its Java 17) with
# a Flink distribution mounted at FLINK_HOME: what docker/compose.local.yaml runs instead of Docker Hub's flink
# image. PyPI's apache-flink-libraries 1.19.3 ships what it needs (lib/ and bin/bash-java-utils.jar, under
# site-packages/pyflink/); Flink's own bin/*.sh scripts are not needed.
#
#   flink-standalone.sh jobmanager|taskmanager
#
# The settings come from the environment: FLINK_ADDRESS (the address every process binds and announces; the
# containers share the host's network, default 127.0.0.1), FLINK_REST_PORT (8081), FLINK_RPC_PORT (6123),
# FLINK_BLOB_PORT (6124), FLINK_SLOTS (task slots per TaskManager, 2), FLINK_TM_MEMORY (TaskManager process size,
# 1536m). TaskManagers pick free ports of their own, so several run side by side. They start with Tessera's JVM
# flags (TESSERA_JVM_FLAGS of the image, which the workers need for Arrow and the Vector API), which the cluster's
# configuration also carries as env.java.opts.all; their memory flags come from Flink's BashJavaUtils, as
# bin/taskmanager.sh would compute them.
set -eu
role="${1:-}"
flink="${FLINK_HOME:-/flink}"
address="${FLINK_ADDRESS:-127.0.0.1}"
case "$role" in
  jobmanager|taskmanager) ;;
  *) echo "flink-standalone: the first argument is '$role'; give jobmanager or taskmanager" >&2; exit 2 ;;
esac
if [ ! -d "$flink/lib" ] || [ ! -f "$flink/bin/bash-java-utils.jar" ]; then
  echo "flink-standalone: FLINK_HOME=$flink has no lib/ and bin/bash-java-utils.jar: mount a Flink 1.19" \
    "distribution there (PyPI's apache-flink-libraries 1.19.3, its site-packages/pyflink folder)" >&2
  exit 2
fi

conf="$(mktemp -d)"
cat > "$conf/config.yaml" <<YAML
jobmanager.rpc.address: $address
jobmanager.rpc.port: ${FLINK_RPC_PORT:-6123}
jobmanager.bind-host: $address
jobmanager.memory.process.size: 1024m
rest.address: $address
rest.bind-address: $address
rest.port: ${FLINK_REST_PORT:-8081}
taskmanager.host: $address
taskmanager.bind-host: $address
taskmanager.numberOfTaskSlots: ${FLINK_SLOTS:-2}
taskmanager.memory.process.size: ${FLINK_TM_MEMORY:-1536m}
blob.server.port: ${FLINK_BLOB_PORT:-6124}
env.java.opts.all: $TESSERA_JVM_FLAGS
YAML
cat > "$conf/log4j.properties" <<'PROPERTIES'
rootLogger.level = INFO
rootLogger.appenderRef.out.ref = out
appender.out.type = Console
appender.out.name = out
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
PROPERTIES
logging="-Dlog4j.configurationFile=$conf/log4j.properties"

if [ "$role" = jobmanager ]; then
  exec java -Xmx512m "$logging" -cp "$flink/lib/*" \
    org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint --configDir "$conf"
fi
resources="$(java -cp "$flink/bin/bash-java-utils.jar:$flink/lib/*" \
  org.apache.flink.runtime.util.bash.BashJavaUtils GET_TM_RESOURCE_PARAMS --configDir "$conf")"
jvm="$(echo "$resources" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | sed -n 1p)"
dynamic="$(echo "$resources" | sed -n 's/^BASH_JAVA_UTILS_EXEC_RESULT://p' | sed -n 2p)"
if [ -z "$jvm" ] || [ -z "$dynamic" ]; then
  echo "flink-standalone: BashJavaUtils printed no TaskManager resources:" >&2
  echo "$resources" >&2
  exit 1
fi
# shellcheck disable=SC2086  # the flag lists are space-separated by design
exec java $jvm $TESSERA_JVM_FLAGS "$logging" -cp "$flink/lib/*" \
  org.apache.flink.runtime.taskexecutor.TaskManagerRunner --configDir "$conf" $dynamic
