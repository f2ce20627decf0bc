package io.agentvine.controller.security;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.agentvine.controller.persistence.UiSessionRepository;
import io.agentvine.controller.persistence.UiSessionRow;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Dashboard sessions, kept in the database (table {@code ui_sessions}) so a controller restart or a
 * second replica keeps them. A session id is 256 random bits, given to the browser once (the cookie)
 * and stored only as its SHA-256. The CSRF token is derived from the id (SHA-256 of a label and the
 * id), so it needs no storage and only the cookie's holder can know it.
 *
 * <p>A session found is remembered for {@link #CACHE_FOR} (one second, on the injected clock), so a page's
 * requests don't each read the database (fifty open dashboards made one read per request, issue #17). A
 * sign-out on this controller forgets it at once; a sign-out on another replica, an expiry or a removed key
 * takes effect within that second. A cookie that finds no session is not remembered.
 */
@Singleton
public class UiSessions {
    /** The cookie that carries the session id. */
    public static final String COOKIE = "agentvine_session";

    /** A new sign-in: the cookie value (give it to the browser, never store or log it) and the session. */
    public record Opened(String cookieValue, UiSession session, Duration ttl) {
        @Override
        public String toString() {
            return "Opened[" + session + "]";
        }
    }

    /** How long a session found is used without reading it again. */
    public static final Duration CACHE_FOR = Duration.ofSeconds(1);

    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

    private final UiSessionRepository sessions;
    private final ApiKeys keys;
    private final UiSettings settings;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();
    private final Cache<String, UiSession> recent; // id hash → the session found, for CACHE_FOR

    public UiSessions(UiSessionRepository sessions, ApiKeys keys, UiSettings settings, Clock clock) {
        this.sessions = sessions;
        this.keys = keys;
        this.settings = settings;
        this.clock = clock;
        this.recent = Caffeine.newBuilder()
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.millis()))
                .expireAfterWrite(CACHE_FOR)
                .maximumSize(10_000)
                .executor(Runnable::run) // maintenance on the caller's thread: nothing runs later on a pool
                .build();
    }

    /** Signs in with an admin or viewer key; empty for any other key (unknown, or a worker's). */
    public Optional<Opened> signIn(String key) {
        Optional<Caller> caller = keys.authenticate(key == null ? null : key.trim())
                .filter(c -> c.kind() != Caller.Kind.WORKER);
        if (caller.isEmpty()) {
            return Optional.empty();
        }
        byte[] raw = new byte[32];
        random.nextBytes(raw);
        String id = B64.encodeToString(raw);
        Instant now = clock.instant();
        Duration ttl = settings.getSessionTtl();
        sessions.deleteByExpiresAtLessThan(now);
        sessions.save(new UiSessionRow(hash(id), caller.get().kind().role(), caller.get().keyName(), now, now.plus(ttl), null));
        return Optional.of(new Opened(id, new UiSession(caller.get(), hash(id), csrfToken(id)), ttl));
    }

    /** The live session of a cookie value: not expired, not revoked, its key still configured with the same role. */
    public Optional<UiSession> find(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank() || cookieValue.length() > 100) {
            return Optional.empty();
        }
        return live(hash(cookieValue), csrfToken(cookieValue));
    }

    /** Whether {@code session} still holds (as {@link #find} would find it); a database read at most once a {@link #CACHE_FOR}. */
    public boolean isLive(UiSession session) {
        return live(session.idHash(), session.csrfToken()).isPresent();
    }

    private Optional<UiSession> live(String idHash, String csrf) {
        UiSession known = recent.getIfPresent(idHash);
        if (known != null) {
            return Optional.of(known);
        }
        Instant now = clock.instant();
        Optional<UiSession> found = sessions.findById(idHash)
                .filter(r -> r.revokedAt() == null && r.expiresAt().isAfter(now))
                .flatMap(r -> keys.operator(r.keyName()).filter(c -> c.kind().role().equals(r.role())))
                .map(c -> new UiSession(c, idHash, csrf));
        found.ifPresent(session -> recent.put(idHash, session));
        return found;
    }

    /** Ends a session (sign-out); a no-op when it already ended. */
    public void revoke(UiSession session) {
        recent.invalidate(session.idHash());
        sessions.updateRevokedAt(session.idHash(), clock.instant());
        recent.invalidate(session.idHash()); // a lookup that read the row before the update came in between
    }

    /** Whether {@code presented} is the session's CSRF token (constant time). */
    public static boolean csrfMatches(UiSession session, String presented) {
        return presented != null && MessageDigest.isEqual(session.csrfToken().getBytes(StandardCharsets.UTF_8),
                presented.getBytes(StandardCharsets.UTF_8));
    }

    private static String csrfToken(String id) {
        return B64.encodeToString(sha256("agentvine-csrf\0" + id));
    }

    private static String hash(String id) {
        return HexFormat.of().formatHex(sha256(id));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
