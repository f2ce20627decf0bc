package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.worker.workspace.WorkspaceException.Kind;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SilentServerTest {
    @TempDir
    Path tmp;
    SilentServer server;

    @BeforeEach
    void start() throws Exception {
        server = new SilentServer();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    @Test
    void probe() throws Exception {
        WorkspaceManager m = new WorkspaceManager(tmp.resolve("ws"), 1, false, GitCredentials.none(), Duration.ofSeconds(2));
        for (String url : new String[] {server.url("git", "x"), server.url("http", "x.git"), server.url("git", "x")}) {
            long t0 = System.nanoTime();
            for (String branch : new String[] {"main", null}) {
            try {
                m.prepare(WorkspaceTest.order(url, branch)).close();
            } catch (Exception e) {
                System.out.println("PROBE " + url + " " + branch + " -> " + (System.nanoTime() - t0) / 1_000_000 + " ms: " + e);
            }
            }
        }
    }
}
