package io.agentvine.worker.workspace;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.eclipse.jgit.internal.storage.file.FileRepository;
import org.eclipse.jgit.lib.BaseRepositoryBuilder;
import org.eclipse.jgit.lib.ObjectChecker;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.transport.PackParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A repository created for a clone, whose first received pack is parsed without JGit's collision
 * check, and optionally with an object checker that sees every object (see {@link #checkFirstPackWith}). That check looks every received object up in the object database (an {@code lstat} of the
 * pack directory and one of the loose object's path, per object: ~5% of a 3,000-file clone) to
 * refuse a pack that would replace an object already there with other content. Into an empty
 * object database nothing can be replaced, so the check is skipped for a pack parsed while the
 * database holds no object at all, and for the first pack only; every later pack (none, in a
 * worker) is checked as usual.
 *
 * <p>JGit does not offer the switch publicly ({@code PackParser.setCheckObjectCollisions} is
 * protected); it is called reflectively. Should a JGit version lack it, packs are checked as always.
 */
final class FreshRepository extends FileRepository {
    private static final Logger log = LoggerFactory.getLogger(FreshRepository.class);
    private static final Method SET_CHECK_OBJECT_COLLISIONS = setCheckObjectCollisions();

    private final AtomicBoolean firstPack = new AtomicBoolean(true);
    private volatile ObjectChecker firstPackChecker;

    FreshRepository(BaseRepositoryBuilder<?, ?> builder) throws IOException {
        super(builder);
    }

    @Override
    public ObjectInserter newObjectInserter() {
        ObjectInserter inserter = super.newObjectInserter();
        return new ObjectInserter.Filter() {
            @Override
            protected ObjectInserter delegate() {
                return inserter;
            }

            @Override
            public PackParser newPackParser(InputStream in) throws IOException {
                if (!firstPack.getAndSet(false) || !holdsNoObject()) {
                    return inserter.newPackParser(in);
                }
                ObjectChecker checker = firstPackChecker;
                PackParser[] parser = new PackParser[1];
                // The fetch sets the transport's checker (none) on the parser after this returns and before
                // parsing starts: ours goes in at the first read, so that setting one on the transport
                // (which would also make the fetch walk every object afterwards) is not needed.
                InputStream pack = checker == null ? in : new FilterInputStream(in) {
                    private boolean installed;

                    private void install() {
                        if (!installed) {
                            installed = true;
                            parser[0].setObjectChecker(checker);
                        }
                    }

                    @Override
                    public int read() throws IOException {
                        install();
                        return super.read();
                    }

                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        install();
                        return super.read(b, off, len);
                    }
                };
                parser[0] = inserter.newPackParser(pack);
                if (SET_CHECK_OBJECT_COLLISIONS != null) {
                    try {
                        SET_CHECK_OBJECT_COLLISIONS.invoke(parser[0], false);
                    } catch (ReflectiveOperationException e) {
                        log.debug("collision check stays on: {}", e.toString());
                    }
                }
                return parser[0];
            }
        };
    }

    /**
     * Hands every object of the first pack, as the parser hashes it, to {@code checker} (a {@link
     * StreamingCheckout}); call before the fetch.
     */
    void checkFirstPackWith(ObjectChecker checker) {
        this.firstPackChecker = checker;
    }

    /** No pack, no loose object: {@code objects/} holds nothing but {@code pack/} and {@code info/}, both empty. */
    boolean holdsNoObject() throws IOException {
        Path objects = getObjectsDirectory().toPath();
        try (Stream<Path> entries = Files.list(objects)) {
            if (entries.anyMatch(p -> !p.getFileName().toString().equals("pack") && !p.getFileName().toString().equals("info"))) {
                return false;
            }
        }
        try (Stream<Path> packs = Files.list(objects.resolve("pack"))) {
            return packs.findAny().isEmpty();
        }
    }

    private static Method setCheckObjectCollisions() {
        try {
            Method m = PackParser.class.getDeclaredMethod("setCheckObjectCollisions", boolean.class);
            m.setAccessible(true);
            return m;
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.debug("PackParser.setCheckObjectCollisions unavailable; packs are checked for collisions: {}", e.toString());
            return null;
        }
    }
}
