package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheEditor;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;

/**
 * Moves a reused workspace ({@link WorkspacePool}) from the commit it was reset to onto the commit a
 * new task starts from, touching only what differs between the two trees: the trees are compared
 * with JGit's {@link TreeWalk} (identical sub-trees skipped), paths gone or changed are deleted, then
 * new and changed files written as a fresh checkout writes them ({@link FreshCheckout}), symbolic links
 * last, and the index edited to match. The workspace's index is trusted: {@link WorkspaceReset} wrote
 * it from the files after comparing each by content.
 *
 * <p>Every path of the new tree passes JGit's checkout check, and a tree that is not plain (a new
 * {@code .gitattributes}, a submodule) is refused before anything changes; the caller then makes
 * the workspace afresh.
 */
final class TreeSwitch {
    private TreeSwitch() {
    }

    /** The refusal of a switch before any file changed: the workspace is as it was. */
    static final class NotPlain extends IOException {
        NotPlain(String message) {
            super(message);
        }
    }

    /**
     * Switches the working tree and index of {@code repo} from {@code from}'s tree to {@code to}'s.
     *
     * @return the number of paths deleted or written
     * @throws NotPlain when the new tree or the configuration needs JGit's checkout (nothing changed)
     */
    static int apply(Repository repo, ObjectId from, ObjectId to) throws IOException {
        if (!CheckoutPlan.plainConfig(repo)) {
            throw new NotPlain("the workspace's configuration needs JGit's checkout");
        }
        List<String> gone = new ArrayList<>();
        List<CheckoutPlan.Planned> written = new ArrayList<>();
        try (ObjectReader reader = repo.newObjectReader(); RevWalk revs = new RevWalk(reader); TreeWalk walk = new TreeWalk(repo, reader)) {
            walk.addTree(revs.parseCommit(from).getTree());
            walk.addTree(revs.parseCommit(to).getTree());
            walk.setRecursive(true);
            walk.setFilter(TreeFilter.ANY_DIFF);
            while (walk.next()) {
                String path = walk.getPathString();
                FileMode before = walk.getFileMode(0);
                FileMode after = walk.getFileMode(1);
                if (after != FileMode.MISSING) {
                    if (!CheckoutPlan.plainEntry(path, walk.getNameString(), after)) {
                        throw new NotPlain(path + " makes the tree of " + to.name() + " need JGit's checkout");
                    }
                    DirCacheEntry e = new DirCacheEntry(path);
                    e.setFileMode(after);
                    e.setObjectId(walk.getObjectId(1));
                    written.add(new CheckoutPlan.Planned(e, path, path.substring(0, Math.max(0, path.lastIndexOf('/')))));
                }
                if (before != FileMode.MISSING) {
                    gone.add(path);
                }
            }
            Path root = repo.getWorkTree().toPath();
            // Deepest first, so that a directory the new tree turns into a file is empty when its turn comes.
            TreeSet<String> emptied = new TreeSet<>(Comparator.comparingInt((String p) -> p.split("/").length).reversed()
                    .thenComparing(Comparator.naturalOrder()));
            for (String path : gone) {
                Files.deleteIfExists(root.resolve(path)); // a link itself, never its target
                for (int slash = path.lastIndexOf('/'); slash > 0; slash = path.lastIndexOf('/', slash - 1)) {
                    emptied.add(path.substring(0, slash));
                }
            }
            for (String dir : emptied) {
                try {
                    Files.deleteIfExists(root.resolve(dir));
                } catch (DirectoryNotEmptyException stillUsed) {
                    // other files live there
                } catch (NoSuchFileException alreadyGone) {
                    // deleted with its last file
                }
            }
            for (CheckoutPlan.Planned e : written) {
                if (!e.dir().isEmpty()) {
                    Files.createDirectories(root.resolve(e.dir())); // the tree had no link there: it was reset by content
                }
            }
            FreshCheckout.writeFiles(repo, root, written.stream().filter(e -> e.index().getFileMode() != FileMode.SYMLINK).toList());
            for (CheckoutPlan.Planned e : written) {
                if (e.index().getFileMode() == FileMode.SYMLINK) {
                    FreshCheckout.writeLink(root, reader, e);
                }
            }
        }
        DirCache index = repo.lockDirCache();
        try {
            DirCacheEditor editor = index.editor();
            Set<String> kept = written.stream().map(CheckoutPlan.Planned::path).collect(Collectors.toSet());
            for (String path : gone) {
                if (!kept.contains(path)) {
                    editor.add(new DirCacheEditor.DeletePath(path));
                }
            }
            for (CheckoutPlan.Planned e : written) {
                editor.add(new DirCacheEditor.PathEdit(e.index()) {
                    @Override
                    public void apply(DirCacheEntry ent) {
                        ent.copyMetaData(e.index());
                    }
                });
            }
            editor.commit();
        } finally {
            index.unlock();
        }
        return gone.size() + written.size();
    }
}
