# Debian's Prometheus (2.42), laid out like the official prom/prometheus image: the binary as the
# entrypoint, the configuration at /etc/prometheus/prometheus.yml, the data in /prometheus, run as
# an unprivileged user, and wget for the health check (as the official image's busybox has it). The compose file's `command` passes the same flags to either image.
# (Debian builds it without the React web UI: the HTTP API, the query and target pages the compose
# smoke test and Grafana use, are all there.)
ARG DEBIAN_IMAGE=agentvine/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends prometheus wget \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /prometheus \
 && chown prometheus:prometheus /prometheus
WORKDIR /prometheus
VOLUME /prometheus
USER prometheus
EXPOSE 9090
ENTRYPOINT ["/usr/bin/prometheus"]
CMD ["--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus"]
