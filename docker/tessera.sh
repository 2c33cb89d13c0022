#!/bin/sh
# The tessera command of the image: the CLI with Tessera's JVM flags (TESSERA_JVM_FLAGS, set by the Dockerfile)
# and any extra JVM options in TESSERA_JAVA_OPTS (for example -Xmx8g).
# shellcheck disable=SC2086
exec java $TESSERA_JVM_FLAGS $TESSERA_JAVA_OPTS -cp "/opt/tessera/tessera-cli.jar:/opt/tessera/lib/*" \
    dev.tessera.runners.cli.Main "$@"
