package io.agentvine.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.agentvine.controller.config.ControllerSettings;
import io.agentvine.controller.security.ApiKeys;
import io.agentvine.controller.security.Caller;
import io.agentvine.model.TaskType;
import org.junit.jupiter.api.Test;

/** The configured keys: one role each, viewer keys read-only, and a key or a name configured twice refused. */
class ApiKeysTest {
    private static ApiKeys keys(String admin, String viewer, String worker) {
        ControllerSettings s = new ControllerSettings();
        s.setAdminKeys(admin);
        s.setViewerKeys(viewer);
        s.setWorkerKeys(worker);
        return new ApiKeys(s);
    }

    @Test
    void each_key_authenticates_as_its_kind_and_name() {
        ApiKeys k = keys("a1,a2", " v1 , v2 ", "pool:w1:feature|docs");
        assertThat(k.authenticate("a2")).map(Caller::keyName).contains("admin-2");
        Caller viewer = k.authenticate("v2").orElseThrow();
        assertThat(viewer.kind()).isEqualTo(Caller.Kind.VIEWER);
        assertThat(viewer.keyName()).isEqualTo("viewer-2");
        assertThat(viewer.mayServe(TaskType.FEATURE)).as("a viewer registers no worker").isFalse();
        assertThat(viewer.readsEveryWorker()).isTrue();
        Caller worker = k.authenticate("w1").orElseThrow();
        assertThat(worker.kind().role()).isEqualTo("worker");
        assertThat(worker.mayServe(TaskType.DOCS)).isTrue();
        assertThat(worker.mayServe(TaskType.BUGFIX)).isFalse();
        assertThat(worker.readsEveryWorker()).isFalse();
        assertThat(k.authenticate("v")).isEmpty();
        assertThat(k.authenticate("v1 ")).isEmpty();
    }

    @Test
    void a_key_configured_twice_is_refused_naming_the_setting_not_the_key() {
        assertThatThrownBy(() -> keys("s3cret-shared", "s3cret-shared", ""))
                .hasMessageStartingWith("agentvine.viewer-keys:").hasMessageContaining("admin-1")
                .hasMessageNotContaining("s3cret-shared");
        assertThatThrownBy(() -> keys("a1", "", "pool:a1:*"))
                .hasMessageStartingWith("agentvine.worker-keys:").hasMessageNotContaining(":a1");
    }

    @Test
    void a_worker_key_name_configured_twice_is_refused() {
        assertThatThrownBy(() -> keys("", "", "pool:k1:feature,pool:k2:docs"))
                .hasMessageStartingWith("agentvine.worker-keys:").hasMessageContaining("'pool'")
                .hasMessageNotContaining("k1").hasMessageNotContaining("k2");
        assertThatThrownBy(() -> keys("a1", "", "admin-1:k1:*"))
                .as("a worker key may not take an admin key's name (it would own the admin's workers)")
                .hasMessageContaining("'admin-1'");
    }
}
