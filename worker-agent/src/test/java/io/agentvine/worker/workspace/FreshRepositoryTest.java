package io.agentvine.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.PackParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FreshRepositoryTest {
    @TempDir
    Path tmp;

    private static boolean checksCollisions(PackParser parser) throws Exception {
        Method m = PackParser.class.getDeclaredMethod("isCheckObjectCollisions");
        m.setAccessible(true);
        return (boolean) m.invoke(parser);
    }

    private FreshRepository create(String name) throws Exception {
        FileRepositoryBuilder b = new FileRepositoryBuilder().setWorkTree(tmp.resolve(name).toFile())
                .setGitDir(tmp.resolve(name).resolve(".git").toFile());
        b.setup();
        FreshRepository repo = new FreshRepository(b);
        repo.create();
        return repo;
    }

    @Test
    void only_the_first_pack_into_an_empty_object_database_skips_the_collision_check() throws Exception {
        try (FreshRepository repo = create("empty"); ObjectInserter ins = repo.newObjectInserter()) {
            assertThat(repo.holdsNoObject()).isTrue();
            assertThat(checksCollisions(ins.newPackParser(new ByteArrayInputStream(new byte[0])))).isFalse();
            assertThat(checksCollisions(ins.newPackParser(new ByteArrayInputStream(new byte[0])))).as("second pack").isTrue();
        }
    }

    @Test
    void a_database_holding_an_object_keeps_the_check() throws Exception {
        try (FreshRepository repo = create("one")) {
            try (ObjectInserter ins = repo.newObjectInserter()) {
                ins.insert(Constants.OBJ_BLOB, "hello\n".getBytes(StandardCharsets.UTF_8));
                ins.flush();
            }
            assertThat(repo.holdsNoObject()).isFalse();
            try (ObjectInserter ins = repo.newObjectInserter()) {
                assertThat(checksCollisions(ins.newPackParser(new ByteArrayInputStream(new byte[0])))).isTrue();
            }
        }
    }
}
