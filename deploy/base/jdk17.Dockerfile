# The build stage's base: a JDK and what the Maven Wrapper needs (curl to fetch Maven, unzip).
ARG DEBIAN_IMAGE=agentvine/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends openjdk-17-jdk-headless ca-certificates curl unzip \
 && rm -rf /var/lib/apt/lists/*
ENV JAVA_HOME=/usr/lib/jvm/java-17-openjdk-amd64
