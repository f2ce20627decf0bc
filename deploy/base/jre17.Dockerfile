# The controller's and the workers' base: a JRE, git for the agents and test commands, curl for
# health checks, tini as PID 1 (reaps the agents' orphaned processes, forwards SIGTERM).
ARG DEBIAN_IMAGE=agentvine/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jre-headless ca-certificates git curl tini \
 && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
