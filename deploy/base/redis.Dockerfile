# Debian's redis-server, laid out like the official image: data in /data, runs as user redis,
# configured on the command line (the compose file passes AOF, noeviction and the password).
ARG DEBIAN_IMAGE=agentvine/debian:bookworm
FROM ${DEBIAN_IMAGE}
RUN apt-get update \
 && apt-get install -y --no-install-recommends redis-server redis-tools \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown redis:redis /data
WORKDIR /data
VOLUME /data
USER redis
EXPOSE 6379
CMD ["redis-server", "--bind", "0.0.0.0", "--protected-mode", "no"]
