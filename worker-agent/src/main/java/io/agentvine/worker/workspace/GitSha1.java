package io.agentvine.worker.workspace;

import java.security.Provider;
import java.security.Security;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The SHA-1 JGit computes object ids with, in this whole JVM (clones, commits): hashing is a third
 * of a clone's CPU time (every fetched object is hashed whole; 3,000 source files are ~7 MB).
 * {@link #select} picks one; {@code WorkspaceManager#selectSha1} says why collision detection is off
 * by default.
 */
public enum GitSha1 {
    /** JGit's own, which checks every object for the SHAttered collision pattern (git's default since 2.13). */
    COLLISION_DETECTING,
    /** The JDK's: hardware-accelerated (SHA-NI, AVX2) once C2 compiles it, ~1 GB/s here. */
    JDK,
    /**
     * {@link UnrolledSha1}, served through a security provider placed ahead of the JDK's: in a JVM
     * without C2 (the worker's: {@code -XX:TieredStopAtLevel=1}) the JDK's SHA-1 runs as C1 code at
     * ~110 MB/s, this one at ~230 MB/s. Every {@code MessageDigest.getInstance("SHA-1")} of the JVM
     * gets it then; it computes the same digests (only the name "SHA-1" is served, not its aliases).
     */
    UNROLLED;

    /** The name of the provider serving {@link #UNROLLED}. */
    static final String PROVIDER = "AgentVine-SHA1";
    private static final String JGIT_IMPLEMENTATION = "org.eclipse.jgit.util.sha1.implementation";
    /** Launcher options whose next argument is their value, not the main class. */
    private static final Set<String> WITH_VALUE = Set.of("-cp", "-classpath", "--class-path", "-p", "--module-path",
            "--upgrade-module-path", "--add-modules", "--limit-modules", "--add-reads", "--add-exports", "--add-opens",
            "--patch-module", "--enable-native-access");

    /**
     * Chooses and applies: {@link #COLLISION_DETECTING} when asked for; otherwise {@link #UNROLLED}
     * when this JVM's options leave it without C2, else {@link #JDK}. Options the JVM read from a
     * file ({@code @argfiles}, {@code -XX:Flags}, {@code -XX:VMOptionsFile}) are not seen: then it is
     * {@link #JDK}, always correct, at worst slower.
     */
    public static GitSha1 select(boolean collisionDetection) {
        GitSha1 choice = choose(collisionDetection, jvmOptions(System.getenv(),
                ProcessHandle.current().info().arguments().map(Arrays::asList).orElse(List.of())));
        choice.apply();
        return choice;
    }

    static GitSha1 choose(boolean collisionDetection, List<String> jvmOptions) {
        if (collisionDetection) {
            return COLLISION_DETECTING;
        }
        return withoutC2(jvmOptions) ? UNROLLED : JDK;
    }

    /** Makes JGit hash with this SHA-1 from now on (for new digests). */
    void apply() {
        System.setProperty(JGIT_IMPLEMENTATION, this == COLLISION_DETECTING ? "java" : "jdkNative");
        if (this == UNROLLED) {
            synchronized (GitSha1.class) {
                if (Security.getProvider(PROVIDER) == null) {
                    Security.insertProviderAt(new UnrolledProvider(), 1);
                }
            }
        } else {
            Security.removeProvider(PROVIDER);
        }
    }

    /**
     * The HotSpot options of this JVM in the order it applies them (a later one wins):
     * {@code JAVA_TOOL_OPTIONS}, {@code JDK_JAVA_OPTIONS}, the command line up to the main class or
     * jar, {@code _JAVA_OPTIONS}.
     */
    static List<String> jvmOptions(Map<String, String> env, List<String> commandLine) {
        List<String> options = new ArrayList<>(words(env.get("JAVA_TOOL_OPTIONS")));
        options.addAll(words(env.get("JDK_JAVA_OPTIONS")));
        for (int i = 0; i < commandLine.size(); i++) {
            String arg = commandLine.get(i);
            if (arg.equals("-jar") || arg.equals("-m") || arg.equals("--module") || !arg.startsWith("-")) {
                break; // the program's own arguments follow
            }
            options.add(arg);
            if (WITH_VALUE.contains(arg)) {
                i++; // its value (a class path, say) is not an option
            }
        }
        options.addAll(words(env.get("_JAVA_OPTIONS")));
        return options;
    }

    /** True when the options leave the JIT at C1 ({@code TieredStopAtLevel} 1-3, {@code CompilationMode=quick-only}). */
    static boolean withoutC2(List<String> options) {
        Boolean tiered = null;
        Integer stopAt = null;
        String mode = null;
        for (String o : options) {
            if (o.startsWith("-XX:TieredStopAtLevel=")) {
                try {
                    stopAt = Integer.parseInt(o.substring("-XX:TieredStopAtLevel=".length()));
                } catch (NumberFormatException e) {
                    stopAt = null; // the JVM would not have started
                }
            } else if (o.equals("-XX:+TieredCompilation") || o.equals("-XX:-TieredCompilation")) {
                tiered = o.charAt(4) == '+';
            } else if (o.startsWith("-XX:CompilationMode=")) {
                mode = o.substring("-XX:CompilationMode=".length());
            }
        }
        if (Boolean.FALSE.equals(tiered)) {
            return false; // C2 alone: TieredStopAtLevel and CompilationMode do not apply
        }
        if (mode != null && !mode.equals("default")) {
            return mode.equals("quick-only");
        }
        return stopAt != null && stopAt >= 1 && stopAt <= 3;
    }

    private static List<String> words(String s) {
        return s == null || s.isBlank() ? List.of() : List.of(s.trim().split("\\s+"));
    }

    /** Serves "SHA-1" from {@link UnrolledSha1}, nothing else. */
    private static final class UnrolledProvider extends Provider {
        private static final long serialVersionUID = 1L;

        UnrolledProvider() {
            super(PROVIDER, "1", "SHA-1 for JVMs without the C2 compiler (AgentVine worker)");
            putService(new Service(this, "MessageDigest", "SHA-1", UnrolledSha1.class.getName(), null, null) {
                @Override
                public Object newInstance(Object constructorParameter) {
                    return new UnrolledSha1();
                }
            });
        }
    }
}
