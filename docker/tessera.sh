#!/bin/sh
# The tessera command of the image: the CLI with Tessera's JVM flags (TESSERA_JVM_FLAGS, set by the Dockerfile)
# and any extra JVM options in TESSERA_JAVA_OPTS (for example -Xmx8g). For --runner=FlinkRunner or SparkRunner
# (given to the command, or recorded in the run that 'resume' continues) it adds that runner's jars
# (/opt/tessera/runners/<runner>/): Flink and Spark never share a class path, and other runs start without either.
set -eu
home=/opt/tessera

runner=""
command=""
run_id=""
previous=""
for arg in "$@"; do
  case "$arg" in
    --runner=*) runner="${arg#--runner=}" ;;
    -*) ;;
    *)
      if [ "$previous" = "--runner" ]; then runner="$arg"
      elif [ -z "$command" ]; then command="$arg"
      elif [ "$command" = "resume" ] && [ -z "$run_id" ]; then run_id="$arg"
      fi ;;
  esac
  previous="$arg"
done
state="${TESSERA_HOME:-.tessera}/runs/$run_id/run.json"
if [ -z "$runner" ] && [ -n "$run_id" ] && [ -f "$state" ]; then
  runner="$(grep -o '"--runner=[A-Za-z]*"' "$state" | head -n 1 | tr -d '"' || true)"
  runner="${runner#--runner=}"
fi

classpath="$home/tessera-cli.jar"
runner_flags=""
case "$runner" in
  FlinkRunner)
    classpath="$classpath:$home/lib/*:$home/runners/flink/lib/*"
    # Flink logs through the CLI's slf4j-simple; its INFO and routine WARN lines would bury the stage table.
    runner_flags="-Dorg.slf4j.simpleLogger.log.org.apache.flink=error"
    runner_flags="$runner_flags -Dorg.slf4j.simpleLogger.log.org.apache.beam.runners.flink=error"
    runner_flags="$runner_flags -Dorg.slf4j.simpleLogger.log.org.apache.pekko=warn" ;;
  SparkRunner)
    # Spark brings its own SLF4J binding (log4j2, configured by the runner module's jar): one binding only.
    classpath="$classpath:$home/runners/spark/tessera-runner-spark.jar"
    for jar in "$home"/lib/*.jar; do
      case "${jar##*/}" in slf4j-simple-*) ;; *) classpath="$classpath:$jar" ;; esac
    done
    classpath="$classpath:$home/runners/spark/lib/*" ;;
  *) classpath="$classpath:$home/lib/*" ;;
esac

if [ "$runner" = SparkRunner ]; then
  # A Spark cluster's executors start with the application's spark.executor.extraJavaOptions: Tessera's flags.
  # shellcheck disable=SC2086  # the flags are space-separated lists by design
  exec java $TESSERA_JVM_FLAGS ${TESSERA_JAVA_OPTS:-} "-Dspark.executor.extraJavaOptions=$TESSERA_JVM_FLAGS" \
      -cp "$classpath" dev.tessera.runners.cli.Main "$@"
fi
# shellcheck disable=SC2086
exec java $TESSERA_JVM_FLAGS $runner_flags ${TESSERA_JAVA_OPTS:-} -cp "$classpath" dev.tessera.runners.cli.Main "$@"
