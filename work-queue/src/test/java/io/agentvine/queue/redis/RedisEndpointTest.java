package io.agentvine.queue.redis;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.queue.testing.TestTopologies;
import org.junit.jupiter.api.Test;

/** The URL forms: which topology each names, what reaches logs, what is refused and how. */
class RedisEndpointTest {

    @Test
    void the_scheme_picks_the_topology_and_the_description_never_shows_the_password() {
        try (RedisEndpoint one = RedisEndpoint.create("redis://:s3cret@127.0.0.1:6379/2");
             RedisEndpoint sentinel = RedisEndpoint.create("redis-sentinel://s3cret@127.0.0.1:26379,127.0.0.1:26380/0#mymaster");
             RedisEndpoint cluster = RedisEndpoint.create("redis-cluster://u:s3cret@127.0.0.1:7000,127.0.0.1:7001")) {
            assertThat(one.mode()).isEqualTo(RedisEndpoint.Mode.STANDALONE);
            assertThat(sentinel.mode()).isEqualTo(RedisEndpoint.Mode.SENTINEL);
            assertThat(cluster.mode()).isEqualTo(RedisEndpoint.Mode.CLUSTER);
            assertThat(one).hasToString("redis://127.0.0.1:6379/2");
            assertThat(sentinel).hasToString("redis-sentinel://127.0.0.1:26379,127.0.0.1:26380/0#mymaster");
            assertThat(cluster).hasToString("redis-cluster://127.0.0.1:7000,127.0.0.1:7001");
            assertThat(one.group("{a:feature}:x")).isEqualTo(one.group("{b:docs}:y")).isZero();
            assertThat(cluster.group("{a:feature}:x")).isEqualTo(RedisEndpoint.slot("{a:feature}:wake"));
        }
    }

    @Test
    void min_replicas_in_the_query_sets_the_option_and_does_not_reach_lettuce() {
        try (RedisEndpoint a = RedisEndpoint.create("redis://127.0.0.1:6379?min-replicas=1");
             RedisEndpoint b = RedisEndpoint.create("redis-sentinel://127.0.0.1:26379?min-replicas=2&timeout=5s#mymaster");
             RedisEndpoint c = RedisEndpoint.create("redis://127.0.0.1:6379")) {
            assertThat(a.options().minReplicas()).isEqualTo(1);
            assertThat(b.options().minReplicas()).isEqualTo(2);
            assertThat(b).hasToString("redis-sentinel://127.0.0.1:26379/0#mymaster");
            assertThat(c.options().minReplicas()).isZero();
        }
    }

    @Test
    void a_bad_url_is_refused_naming_the_setting_without_repeating_it() {
        assertThatThrownBy(() -> RedisEndpoint.create(" ")).hasMessageStartingWith("redis_url is required");
        assertThatThrownBy(() -> RedisEndpoint.create("http://u:s3cret@host"))
                .hasMessageStartingWith("redis_url must start with").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisEndpoint.create("redis-sentinel://s3cret@127.0.0.1:26379"))
                .hasMessageContaining("#mymaster").hasMessageNotContaining("s3cret");
        assertThatThrownBy(() -> RedisEndpoint.create("redis://127.0.0.1:6379?min-replicas=many"))
                .hasMessageStartingWith("redis_url: min-replicas");
    }

    @Test
    void a_connection_reaches_a_real_server_of_each_topology() {
        for (TestTopologies.Kind kind : TestTopologies.Kind.values()) {
            try (RedisEndpoint e = TestTopologies.endpoint(kind); RedisLink link = e.connect()) {
                assertThat(link.isCluster()).isEqualTo(kind == TestTopologies.Kind.CLUSTER);
                link.sync().set("{t:endpoint}:k", "v");
                assertThat(link.sync().get("{t:endpoint}:k")).as(kind.name()).isEqualTo("v");
            }
        }
    }
}
