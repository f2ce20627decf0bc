package io.agentvine.queue.testing;

import org.testcontainers.containers.GenericContainer;
import org.testcontainers.utility.DockerImageName;

/** Opt-in only (see {@link TestRedis}): Testcontainers stalls for minutes on an engine without a registry. */
final class ContainerRedis {
    private ContainerRedis() {
    }

    @SuppressWarnings("resource") // stopped by Testcontainers' reaper when the JVM exits
    static String start() {
        String image = System.getProperty("agentvine.test.redis.image", "redis:7-alpine");
        GenericContainer<?> redis = new GenericContainer<>(DockerImageName.parse(image)).withExposedPorts(6379);
        redis.start();
        return "redis://" + redis.getHost() + ":" + redis.getMappedPort(6379);
    }
}
