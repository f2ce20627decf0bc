package io.agentvine.worker.workspace;

import org.eclipse.jgit.storage.file.WindowCacheConfig;

/**
 * How JGit reads pack files in this JVM ({@link WindowCacheConfig}, JGit's public setting): packs
 * memory-mapped (outside the heap, as git does) in 1 MiB windows, up to 256 MiB of them, and 16 MiB
 * of delta bases on the heap. JGit's defaults (8 KiB windows read into a 10 MiB heap cache) suit
 * small repositories; checking 20,000 files out of a mirror with 2,000 commits of history re-read the
 * same windows over and over: 14–28 s against 4–7 s with these settings (docs/performance.md).
 */
final class PackCache {
    private static boolean configured;

    private PackCache() {
    }

    /**
     * Installs the settings, once per JVM, before any pack is read: at boot on {@code workspace-fs-probe}
     * (JGit's cache classes take a few hundred milliseconds to load and initialise in the worker's C1 JVM,
     * which the worker's start should not wait for) and again, as a no-op or a wait, at each prepare.
     */
    static synchronized void configure() {
        if (!configured) {
            configured = true;
            WindowCacheConfig c = new WindowCacheConfig();
            c.setPackedGitMMAP(true);
            c.setPackedGitWindowSize(1 << 20);
            c.setPackedGitLimit(256L << 20);
            c.setDeltaBaseCacheLimit(16 << 20);
            c.install();
        }
    }
}
