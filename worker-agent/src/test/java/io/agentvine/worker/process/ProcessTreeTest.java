package io.agentvine.worker.process;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ProcessTreeTest {
    private static boolean has(String environ, String entry) {
        return ProcessTree.hasEntry(environ.getBytes(StandardCharsets.UTF_8), entry.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void the_cookie_matches_only_a_whole_environment_entry() {
        assertThat(has("PATH=/bin\0C=abc\0HOME=/root\0", "C=abc")).isTrue();
        assertThat(has("C=abc\0", "C=abc")).as("first").isTrue();
        assertThat(has("PATH=/bin\0C=abc", "C=abc")).as("last, no trailing NUL").isTrue();
        assertThat(has("PATH=/bin\0C=abcd\0", "C=abc")).as("longer value").isFalse();
        assertThat(has("PATH=/bin\0XC=abc\0", "C=abc")).as("longer name").isFalse();
        assertThat(has("", "C=abc")).isFalse();
        assertThat(has("C=abc\0", "")).as("no cookie matches nothing").isFalse();
    }

    @Test
    void a_process_that_ended_is_not_running_and_this_jvm_is() throws Exception {
        Process p = new ProcessBuilder("true").start();
        p.waitFor();
        assertThat(ProcessTree.running(p.toHandle())).isFalse();
        assertThat(ProcessTree.running(ProcessHandle.current())).isTrue();
    }
}
