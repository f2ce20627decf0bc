#!/bin/sh
# The controller: configuration comes from the environment (see the README's table).
set -eu
# shellcheck disable=SC2086 # JAVA_OPTS is a list of options
exec java ${JAVA_OPTS:-} -jar /opt/agentvine/controller.jar "$@"
