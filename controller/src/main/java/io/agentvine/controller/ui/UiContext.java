package io.agentvine.controller.ui;

import io.agentvine.controller.clarifications.ClarificationService;
import io.agentvine.controller.security.Caller;
import io.agentvine.controller.security.UiSession;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.ui.model.Layout;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.agentvine.model.Json;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.views.ModelAndView;
import jakarta.inject.Singleton;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * What every dashboard page needs from the request: who is signed in ({@link #caller}), the
 * {@link Layout} (nav, CSRF token, attention count) and the view to render ({@link #page}).
 */
@Singleton
public class UiContext {
    /** The request header htmx sets on its requests. */
    public static final String HX_REQUEST = "HX-Request";

    private final ClarificationService clarifications;

    public UiContext(ClarificationService clarifications) {
        this.clarifications = clarifications;
    }

    /** The caller (a session's, or a bearer key's); every /ui page except sign-in requires one. */
    public static Caller caller(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class)
                .map(a -> (Caller) a.getAttributes().get(Caller.ATTRIBUTE))
                .orElseThrow(() -> new IllegalStateException("no caller: the route must not be open to anonymous calls"));
    }

    public static Optional<UiSession> session(HttpRequest<?> request) {
        return request.getUserPrincipal(Authentication.class)
                .map(a -> (UiSession) a.getAttributes().get(UiSession.ATTRIBUTE));
    }

    public static boolean isHtmx(HttpRequest<?> request) {
        return "true".equalsIgnoreCase(request.getHeaders().get(HX_REQUEST));
    }

    /** The number of pending clarifications (questions and approvals): the nav's badge. */
    public long attentionCount() {
        return clarifications.list("pending", null).size();
    }

    public Layout layout(HttpRequest<?> request, String title, String nav) {
        return layout(request, title, nav, null);
    }

    public Layout layout(HttpRequest<?> request, String title, String nav, Flash flash) {
        Optional<Authentication> auth = request.getUserPrincipal(Authentication.class);
        if (auth.isEmpty()) {
            return Layout.anonymous(title, flash);
        }
        Caller c = (Caller) auth.get().getAttributes().get(Caller.ATTRIBUTE);
        String csrf = session(request).map(UiSession::csrfToken).orElse("");
        return new Layout(title, nav, c.keyName(), c.kind().role(), c.isAdmin(), csrf, attentionCount(), flash);
    }

    /** A page: {@code view} (a template under src/main/jte) with {@code layout} and {@code page} as its parameters. */
    public static ModelAndView<Map<String, Object>> page(String view, Layout layout, Object page) {
        Map<String, Object> model = new HashMap<>();
        model.put("layout", layout);
        model.put("page", page);
        return new ModelAndView<>(view, model);
    }

    /** The response header that carries a flash message to htmx (app.js shows it in {@code #flash}). */
    public static final String FLASH_HEADER = "HX-Trigger-After-Swap";

    /**
     * A fragment answering an action, with a message for the page's flash area: sent as the htmx event
     * {@code av-flash} in {@code HX-Trigger-After-Swap} (htmx fires it on the body when the clicked
     * element was replaced meanwhile, e.g. by a live refresh; an out-of-band swap would get lost then).
     */
    public static HttpResponse<?> withFlash(String view, Map<String, Object> params, Flash flash) {
        return HttpResponse.ok(fragment(view, params)).header(FLASH_HEADER, flashEvent(flash));
    }

    /** {@code {"av-flash":{"kind":…,"message":…}}}, non-ASCII escaped (a header value). */
    public static String flashEvent(Flash flash) {
        Map<String, Object> event = Map.of("av-flash", Map.of("kind", flash.kind(), "message", flash.message()));
        try {
            return Json.mapper().writer().with(JsonWriteFeature.ESCAPE_NON_ASCII).writeValueAsString(event);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a map of strings always serializes", e);
        }
    }

    /** A fragment (no layout): {@code view} with the given parameters. */
    public static ModelAndView<Map<String, Object>> fragment(String view, Map<String, Object> params) {
        return new ModelAndView<>(view, new HashMap<>(params));
    }
}
