package io.agentvine.worker.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.DiffFormatter;
import org.eclipse.jgit.diff.Edit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.CanonicalTreeParser;

/** What the agent changed in a {@link Workspace} since its base commit: the paths, and a diff summary. */
final class WorkspaceChanges {
    private WorkspaceChanges() {
    }

    /**
     * Paths added, changed or deleted since {@code baseCommit}, sorted: uncommitted changes against
     * HEAD (untracked files included, ignored ones not) plus whatever was committed since.
     */
    static List<String> changedFiles(Git git, ObjectId baseCommit) throws GitAPIException, IOException {
        Status s = git.status().call();
        TreeSet<String> all = new TreeSet<>();
        all.addAll(s.getAdded());
        all.addAll(s.getChanged());
        all.addAll(s.getModified());
        all.addAll(s.getRemoved());
        all.addAll(s.getMissing());
        all.addAll(s.getUntracked());
        all.addAll(s.getConflicting());
        ObjectId head = git.getRepository().resolve(Constants.HEAD);
        if (head != null && !head.equals(baseCommit)) {
            all.addAll(committedSince(git, baseCommit, head));
        }
        return List.copyOf(all);
    }

    private static List<String> committedSince(Git git, ObjectId baseCommit, ObjectId head) throws IOException, GitAPIException {
        Repository repo = git.getRepository();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader)) {
            CanonicalTreeParser from = new CanonicalTreeParser(null, reader, walk.parseCommit(baseCommit).getTree());
            CanonicalTreeParser to = new CanonicalTreeParser(null, reader, walk.parseCommit(head).getTree());
            return git.diff().setOldTree(from).setNewTree(to).setShowNameAndStatusOnly(true).call().stream()
                    .map(d -> d.getChangeType() == DiffEntry.ChangeType.DELETE ? d.getOldPath() : d.getNewPath())
                    .toList();
        }
    }

    /**
     * What HEAD changes against {@code baseCommit}: a {@code git diff --stat}-like line per file
     * (status, lines added and removed) and the patch itself, cut at {@code maxChars}.
     */
    static String diffSummary(Repository repo, ObjectId baseCommit, int maxChars) throws IOException {
        try (ObjectReader reader = repo.newObjectReader(); RevWalk walk = new RevWalk(reader);
             ByteArrayOutputStream patch = new ByteArrayOutputStream(); DiffFormatter f = new DiffFormatter(patch)) {
            ObjectId head = repo.resolve(Constants.HEAD);
            f.setRepository(repo);
            List<DiffEntry> entries = f.scan(walk.parseCommit(baseCommit).getTree(), walk.parseCommit(head).getTree());
            StringBuilder stat = new StringBuilder();
            int added = 0;
            int removed = 0;
            for (DiffEntry d : entries) {
                int a = 0;
                int r = 0;
                for (Edit e : f.toFileHeader(d).toEditList()) {
                    a += e.getLengthB();
                    r += e.getLengthA();
                }
                added += a;
                removed += r;
                String path = d.getChangeType() == DiffEntry.ChangeType.DELETE ? d.getOldPath() : d.getNewPath();
                stat.append(String.format(Locale.ROOT, "%-6s %s (+%d -%d)%n", d.getChangeType().name().toLowerCase(Locale.ROOT),
                        path, a, r));
            }
            f.format(entries);
            f.flush();
            String text = entries.size() + " file(s) changed, +" + added + " -" + removed + "\n" + stat + "\n"
                    + patch.toString(StandardCharsets.UTF_8);
            return text.length() <= maxChars ? text : text.substring(0, maxChars) + "\n[… diff cut at " + maxChars + " characters]";
        }
    }
}
