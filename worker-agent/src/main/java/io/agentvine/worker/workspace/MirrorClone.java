package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;

/**
 * A workspace made from the cache's mirror without copying its objects: what {@code git clone
 * --shared} does. The new repository's {@code objects/info/alternates} names the mirror's object
 * directory (JGit and git read objects from there), {@code origin} is the order's real URL, so a push
 * goes to the remote as from any clone, and the work branch is checked out at the tip fetched for the
 * task. The mirror must stay while the workspace lives: its {@link RepositoryCache.Lease} holds it.
 */
final class MirrorClone {
    private MirrorClone() {
    }

    /** Makes the workspace in the empty directory {@code dir}; {@code from} is the URL, redacted, for the reflog. */
    static Git create(Path dir, RepositoryCache.Lease lease, String url, String base, String work, String from) throws IOException {
        try (Git created = Git.init().setDirectory(dir.toFile()).call()) {
            WorkBranchCheckout.configureOrigin(created.getRepository(), url, base);
        } catch (GitAPIException e) {
            throw new IOException("cannot create a repository in " + dir + ": " + e.getMessage(), e);
        }
        Path info = Files.createDirectories(dir.resolve(Constants.DOT_GIT).resolve("objects").resolve("info"));
        Files.writeString(info.resolve("alternates"), lease.mirror().resolve("objects").toAbsolutePath() + "\n");
        Git git = Git.open(dir.toFile()); // opened anew: it reads the alternates
        try {
            WorkBranchCheckout.start(git.getRepository(), base, work, lease.tip(), from);
            return git;
        } catch (IOException | RuntimeException | Error e) {
            git.close();
            throw e;
        }
    }
}
