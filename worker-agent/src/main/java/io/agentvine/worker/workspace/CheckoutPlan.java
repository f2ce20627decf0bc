package io.agentvine.worker.workspace;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.errors.CorruptObjectException;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.CoreConfig.AutoCRLF;
import org.eclipse.jgit.lib.CoreConfig.SymLinks;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.WorkingTreeOptions;
import org.eclipse.jgit.util.SystemReader;

/**
 * What {@link FreshCheckout} writes: the entries of a <em>plain</em> tree (see there), every path
 * checked as JGit's checkout checks it, or null when the tree or the repository's configuration
 * needs JGit's own checkout.
 */
final class CheckoutPlan {
    /**
     * The most entries a tree checked out may have: its index lives in the heap (a few hundred bytes
     * an entry), and a few small trees each naming the next twice expand to millions of paths.
     */
    static final int MAX_ENTRIES = (int) Math.max(100_000, Math.min(Integer.MAX_VALUE, Runtime.getRuntime().maxMemory() / 512));
    private CheckoutPlan() {
    }

    /** One entry of the tree: its index entry (mode and id; length and time come when it is written), path and directory. */
    record Planned(DirCacheEntry index, String path, String dir) {
    }

    /**
     * The tree's entries when it is plain (see the class comment), null when JGit must check it out.
     */
    static List<Planned> plainEntries(Repository repo, RevTree tree) throws IOException {
        if (!plainConfig(repo)) {
            return null;
        }
        List<Planned> entries = new ArrayList<>();
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            while (walk.next()) {
                FileMode mode = walk.getFileMode(0);
                String path = walk.getPathString();
                if (!plainEntry(path, walk.getNameString(), mode)) {
                    return null;
                }
                if (entries.size() == MAX_ENTRIES) {
                    throw tooMany();
                }
                DirCacheEntry e = new DirCacheEntry(path);
                e.setFileMode(mode);
                e.setObjectId(walk.getObjectId(0));
                entries.add(new Planned(e, path, path.substring(0, Math.max(0, path.lastIndexOf('/')))));
            }
        }
        return entries;
    }

    /** Before JGit's checkout, which would build the index of a tree of any size: its entries, up to the limit. */
    static void countEntries(Repository repo, RevTree tree) throws IOException {
        try (TreeWalk walk = new TreeWalk(repo)) {
            walk.addTree(tree);
            walk.setRecursive(true);
            for (int n = 0; walk.next(); n++) {
                if (n == MAX_ENTRIES) {
                    throw tooMany();
                }
            }
        }
    }

    private static IOException tooMany() {
        return new IOException("the tree has more than " + MAX_ENTRIES + " files, more than this worker checks out"
                + " (the limit grows with its heap, -Xmx: one file for every 512 bytes)");
    }

    /** Whether the repository's configuration lets trees be written plainly (see the class comment). */
    static boolean plainConfig(Repository repo) {
        StoredConfig config = repo.getConfig();
        WorkingTreeOptions options = config.get(WorkingTreeOptions.KEY);
        return options.getAutoCRLF() == AutoCRLF.FALSE && options.getSymLinks() != SymLinks.FALSE && options.isFileMode()
                && !config.getBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, "ignorecase", false)
                && config.getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_EOL) == null
                && config.getString(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_ATTRIBUTESFILE) == null
                && !Files.exists(repo.getDirectory().toPath().resolve(Constants.INFO_ATTRIBUTES));
    }

    /**
     * Whether a non-tree entry keeps its tree plain: false for a submodule, a {@code .gitattributes}
     * file or a mode this class does not write (JGit's checkout takes such trees).
     *
     * @throws IOException when no checkout may write the path (JGit's check: {@code ..}, {@code .git}, ...)
     */
    static boolean plainEntry(String path, String name, FileMode mode) throws IOException {
        if (mode == FileMode.GITLINK || name.equals(Constants.DOT_GIT_ATTRIBUTES)) {
            return false;
        }
        checkPath(path);
        return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE || mode == FileMode.SYMLINK;
    }

    /**
     * Refuses a path no checkout may write (a file's or a directory's): what JGit's checkout and its
     * index check ({@code ..}, a {@code .git} component, an absolute or empty name, ...).
     */
    static void checkPath(String path) throws IOException {
        try {
            SystemReader.getInstance().checkPath(path);
        } catch (CorruptObjectException e) {
            throw new IOException("the tree has a path that cannot be checked out: " + path, e);
        }
    }

}
