package io.agentvine.worker.workspace;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.util.RawParseUtils;

/**
 * Puts a workspace an agent is done with back to exactly one commit's tree, so that a later task on
 * the repository starts from it ({@link WorkspacePool}) instead of writing every file again.
 *
 * <p>Nothing the agent left is trusted. Its {@code .git} goes entirely (commits, branches, hooks,
 * configuration, index) and a new one borrows the mirror's objects. Every working file is compared
 * by content with the tree — the blob id of its bytes, as git computes it ({@link ObjectInserter.Formatter})
 * — and written again when it differs or is a hard link; what the tree does not name goes (untracked and
 * ignored files, build output, a symbolic link where the tree has a directory). Symbolic links are never followed.
 * Then the index is written from what the files are now, so the next task's switch to its own commit
 * ({@link TreeSwitch}) can trust it as git trusts its index. The agent's processes are gone by then
 * (the run ends only once its process group has exited).
 *
 * <p>Only plain trees ({@link CheckoutPlan}) are reset; for any other the reset fails and the caller
 * deletes the workspace.
 */
final class WorkspaceReset {
    private WorkspaceReset() {
    }

    /**
     * Resets the working tree {@code dir} to {@code commit}'s tree with a new {@code .git} whose
     * objects are the mirror's {@code objects} directory, HEAD detached at {@code commit}.
     *
     * @return the bytes of the working files (what the workspace takes on disk, its index aside)
     * @throws IOException when it cannot be done (the caller deletes {@code dir})
     */
    static long reset(Path dir, Path mirrorObjects, ObjectId commit) throws IOException {
        IOException gitDirGone = Directories.delete(dir.resolve(Constants.DOT_GIT));
        if (gitDirGone != null) {
            throw gitDirGone;
        }
        try {
            Git.init().setDirectory(dir.toFile()).call().close();
        } catch (GitAPIException e) {
            throw new IOException("cannot create a repository in " + dir + ": " + e.getMessage(), e);
        }
        Path info = Files.createDirectories(dir.resolve(Constants.DOT_GIT).resolve("objects").resolve("info"));
        Files.writeString(info.resolve("alternates"), mirrorObjects.toAbsolutePath() + "\n");
        try (Git git = Git.open(dir.toFile()); ObjectReader reader = git.getRepository().newObjectReader()) {
            Repository repo = git.getRepository();
            RevTree tree;
            try (RevWalk walk = new RevWalk(reader)) {
                tree = walk.parseCommit(commit).getTree();
            }
            List<CheckoutPlan.Planned> entries = CheckoutPlan.plainEntries(repo, tree);
            if (entries == null) {
                throw new IOException("the tree of " + commit.name() + " is not plain (attributes or submodules): not reused");
            }
            Map<String, CheckoutPlan.Planned> wanted = new HashMap<>();
            Set<String> wantedDirs = new HashSet<>();
            for (CheckoutPlan.Planned e : entries) {
                wanted.put(e.path(), e);
                for (String d = e.dir(); !d.isEmpty() && wantedDirs.add(d); d = d.substring(0, Math.max(0, d.lastIndexOf('/')))) {
                    // every ancestor directory of every entry
                }
            }
            Set<String> kept = new HashSet<>();
            long[] bytes = new long[1];
            Files.walkFileTree(dir, new SimpleFileVisitor<>() { // links are not followed: they come as files
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes attrs) throws IOException {
                    if (d.equals(dir)) {
                        return FileVisitResult.CONTINUE;
                    }
                    String path = relative(dir, d);
                    if (path.equals(Constants.DOT_GIT)) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    if (wantedDirs.contains(path)) {
                        if (!Files.isWritable(d) || !Files.isExecutable(d)) {
                            throw new IOException(path + " is not writable any more");
                        }
                        return FileVisitResult.CONTINUE;
                    }
                    IOException failure = Directories.delete(d);
                    if (failure != null) {
                        throw failure;
                    }
                    return FileVisitResult.SKIP_SUBTREE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes attrs) throws IOException {
                    String path = relative(dir, f);
                    CheckoutPlan.Planned e = wanted.get(path);
                    if (e != null && same(reader, f, attrs, e)) {
                        FreshCheckout.stat(f, e.index()); // a link's size is its target's length: the blob's
                        kept.add(path);
                        bytes[0] += attrs.size();
                    } else {
                        Files.delete(f); // a link itself, never its target
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            List<CheckoutPlan.Planned> missing = new ArrayList<>();
            for (CheckoutPlan.Planned e : entries) {
                if (!kept.contains(e.path())) {
                    if (!e.dir().isEmpty()) {
                        Files.createDirectories(dir.resolve(e.dir())); // no link on the way: the walk removed them
                    }
                    missing.add(e);
                }
            }
            List<CheckoutPlan.Planned> files = missing.stream().filter(e -> e.index().getFileMode() != FileMode.SYMLINK).toList();
            FreshCheckout.writeFiles(repo, dir, files);
            for (CheckoutPlan.Planned e : missing) {
                if (e.index().getFileMode() == FileMode.SYMLINK) {
                    FreshCheckout.writeLink(dir, reader, e);
                }
                bytes[0] += e.index().getLength();
            }
            DirCache index = repo.lockDirCache();
            try {
                DirCacheBuilder builder = index.builder();
                for (CheckoutPlan.Planned e : entries) {
                    builder.add(e.index());
                }
                builder.commit();
            } finally {
                index.unlock();
            }
            RefUpdate head = repo.updateRef(Constants.HEAD, true);
            head.disableRefLog();
            head.setNewObjectId(commit);
            RefUpdate.Result r = head.forceUpdate();
            if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED && r != RefUpdate.Result.NO_CHANGE) {
                throw new IOException("cannot detach HEAD at " + commit.name() + ": " + r);
            }
            return bytes[0];
        }
    }

    /** Whether the file at {@code f} is what the tree entry {@code e} says: its kind, execute bit and content. */
    private static boolean same(ObjectReader reader, Path f, BasicFileAttributes attrs, CheckoutPlan.Planned e) {
        FileMode mode = e.index().getFileMode();
        ObjectId id = e.index().getObjectId();
        try {
            if (mode == FileMode.SYMLINK) {
                if (!attrs.isSymbolicLink()) {
                    return false;
                }
                byte[] target = reader.open(id, Constants.OBJ_BLOB).getCachedBytes();
                return Files.readSymbolicLink(f).toString().equals(RawParseUtils.decode(target));
            }
            if (!attrs.isRegularFile() || attrs.size() != reader.getObjectSize(id, Constants.OBJ_BLOB)) {
                return false;
            }
            if (((Number) Files.getAttribute(f, "unix:nlink", LinkOption.NOFOLLOW_LINKS)).intValue() != 1) {
                return false; // a hard link: the same bytes may live outside the workspace, where the next agent's writes would land
            }
            boolean executable = Files.getPosixFilePermissions(f, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE);
            if (executable != (mode == FileMode.EXECUTABLE_FILE)) {
                return false;
            }
            try (InputStream in = Files.newInputStream(f, LinkOption.NOFOLLOW_LINKS)) {
                return new ObjectInserter.Formatter().idFor(Constants.OBJ_BLOB, attrs.size(), in).equals(id);
            }
        } catch (IOException unreadable) {
            return false; // written again
        }
    }

    private static String relative(Path root, Path p) {
        return root.relativize(p).toString().replace(p.getFileSystem().getSeparator(), "/");
    }
}
