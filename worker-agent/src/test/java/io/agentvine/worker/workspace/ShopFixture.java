package io.agentvine.worker.workspace;

import io.agentvine.model.PermissionLevel;
import io.agentvine.model.TaskType;
import io.agentvine.model.WorkOrder;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import org.eclipse.jgit.lib.PersonIdent;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The workspace tests' shared set-up: the shop repository (made with the git CLI), a workspace root, authors. */
abstract class ShopFixture {
    @TempDir
    Path tmp;
    Path bare;
    String url;
    Path root;
    final PersonIdent author = new PersonIdent("Ada Agent", "ada@agentvine.io", Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);
    final PersonIdent committer = new PersonIdent("AgentVine", "bot@agentvine.io", Instant.parse("2024-05-01T10:05:00Z"), ZoneOffset.UTC);

    @BeforeEach
    void shop() throws Exception {
        bare = TestRepositories.shop(tmp);
        url = bare.toUri().toString();
        root = tmp.resolve("workspaces");
    }

    static WorkOrder order(String url, String branch) {
        return order("wo-42", "t-42", url, branch);
    }

    static WorkOrder order(String id, String taskId, String url, String branch) {
        return WorkOrder.builder(id, TaskType.FEATURE).taskId(taskId).repositoryUrl(url).branch(branch)
                .title("Add CSV export").permissionLevel(PermissionLevel.AUTONOMOUS).build();
    }

    WorkspaceManager manager() {
        return new WorkspaceManager(root, WorkspaceManager.DEFAULT_DEPTH, false, GitCredentials.none());
    }
}
