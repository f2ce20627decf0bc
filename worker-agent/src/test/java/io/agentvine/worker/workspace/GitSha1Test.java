package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class GitSha1Test {
    private static GitSha1 choose(String... options) {
        return GitSha1.choose(false, List.of(options));
    }

    @Test
    void the_unrolled_sha1_only_without_c2() {
        assertThat(choose()).as("default JIT: C2").isEqualTo(GitSha1.JDK);
        assertThat(choose("-Xmx96m", "-XX:TieredStopAtLevel=1")).isEqualTo(GitSha1.UNROLLED);
        assertThat(choose("-XX:TieredStopAtLevel=3")).isEqualTo(GitSha1.UNROLLED);
        assertThat(choose("-XX:TieredStopAtLevel=1", "-XX:TieredStopAtLevel=4")).as("the last one wins").isEqualTo(GitSha1.JDK);
        assertThat(choose("-XX:TieredStopAtLevel=0")).as("interpreter only").isEqualTo(GitSha1.JDK);
        assertThat(choose("-XX:TieredStopAtLevel=1", "-XX:-TieredCompilation")).as("C2 alone").isEqualTo(GitSha1.JDK);
        assertThat(choose("-XX:CompilationMode=quick-only")).isEqualTo(GitSha1.UNROLLED);
        assertThat(choose("-XX:TieredStopAtLevel=1", "-XX:CompilationMode=high-only")).isEqualTo(GitSha1.JDK);
        assertThat(GitSha1.choose(true, List.of("-XX:TieredStopAtLevel=1"))).isEqualTo(GitSha1.COLLISION_DETECTING);
    }

    @Test
    void options_come_from_the_environment_and_the_command_line_up_to_the_main_class() {
        List<String> options = GitSha1.jvmOptions(
                Map.of("JAVA_TOOL_OPTIONS", " -Xss1m  -XX:TieredStopAtLevel=4 ", "JDK_JAVA_OPTIONS", "-XX:TieredStopAtLevel=2",
                        "_JAVA_OPTIONS", "-Dlast=1"),
                List.of("-XX:TieredStopAtLevel=1", "-cp", "a.jar", "io.agentvine.worker.WorkerMain", "-XX:TieredStopAtLevel=4"));
        assertThat(options).containsExactly("-Xss1m", "-XX:TieredStopAtLevel=4", "-XX:TieredStopAtLevel=2",
                "-XX:TieredStopAtLevel=1", "-cp", "-Dlast=1");
        assertThat(GitSha1.withoutC2(options)).isTrue();
        assertThat(GitSha1.jvmOptions(Map.of(), List.of("-XX:TieredStopAtLevel=1", "-jar", "w.jar", "-XX:TieredStopAtLevel=4")))
                .containsExactly("-XX:TieredStopAtLevel=1");
        assertThat(GitSha1.jvmOptions(Map.of("_JAVA_OPTIONS", "-XX:TieredStopAtLevel=4"), List.of("-XX:TieredStopAtLevel=1")))
                .as("_JAVA_OPTIONS come last").last().isEqualTo("-XX:TieredStopAtLevel=4");
    }

    @Test
    void unrolled_serves_sha1_from_its_provider_until_another_is_chosen() throws Exception {
        try {
            GitSha1.UNROLLED.apply();
            MessageDigest d = MessageDigest.getInstance("SHA-1");
            assertThat(d.getProvider().getName()).isEqualTo(GitSha1.PROVIDER);
            assertThat(MessageDigest.getInstance("SHA-256").getProvider().getName()).as("nothing else").isNotEqualTo(GitSha1.PROVIDER);
            assertThat(org.eclipse.jgit.lib.ObjectId.fromRaw(d.digest("blob 0\0".getBytes())).name())
                    .isEqualTo("e69de29bb2d1d6434b8b29ae775ad8c2e48c5391"); // git's empty blob
            GitSha1.UNROLLED.apply();
            assertThat(java.security.Security.getProviders()).filteredOn(p -> p.getName().equals(GitSha1.PROVIDER)).hasSize(1);
            GitSha1.JDK.apply();
            assertThat(MessageDigest.getInstance("SHA-1").getProvider().getName()).isEqualTo("SUN");
        } finally {
            GitSha1.JDK.apply();
            System.clearProperty("org.eclipse.jgit.util.sha1.implementation");
        }
    }
}
