package io.agentvine.controller.ui;

import gg.jte.ContentType;
import gg.jte.TemplateEngine;
import gg.jte.output.StringOutput;
import io.agentvine.controller.security.Caller;
import io.agentvine.controller.ui.model.ErrorPage;
import io.agentvine.controller.ui.model.Flash;
import io.agentvine.controller.ui.model.Layout;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.security.authentication.Authentication;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * How a refused or failed request under /ui answers (the API's error handlers hand /ui requests
 * here): an htmx request swaps nothing and gets the message shown in the page's flash area
 * ({@code HX-Reswap: none}, the {@code av-flash} event); a page request gets the error page; a request without a session
 * is sent to sign in (a page) or gets 401 with {@code HX-Redirect} to the sign-in page (htmx).
 * Never a stack trace.
 */
public final class UiErrors {
    public static final String LOGIN = "/ui/login";
    private static final TemplateEngine TEMPLATES = TemplateEngine.createPrecompiled(ContentType.Html);

    private UiErrors() {
    }

    /** Whether the request is the dashboard's. */
    public static boolean isUi(HttpRequest<?> request) {
        String p = request.getPath();
        return p.equals("/ui") || p.startsWith("/ui/");
    }

    /** A refused or failed request: {@code field} (may be null) names what was at fault. */
    public static MutableHttpResponse<?> render(HttpRequest<?> request, int status, String field, String message) {
        String text = field == null || field.isBlank() || message.startsWith(field) ? message : field + ": " + message;
        HttpStatus s = HttpStatus.valueOf(status);
        if (UiContext.isHtmx(request)) {
            // Nothing swapped; the message goes to the flash area (app.js), also when the clicked
            // element was replaced meanwhile. The body says it too, for any other client.
            return HttpResponse.status(s).contentType(MediaType.TEXT_HTML_TYPE)
                    .header("HX-Reswap", "none").header(UiContext.FLASH_HEADER, UiContext.flashEvent(Flash.error(text)))
                    .body(html("error_fragment", Map.of("flash", Flash.error(text))));
        }
        return HttpResponse.status(s).contentType(MediaType.TEXT_HTML_TYPE)
                .body(html("error", Map.of("layout", layoutOf(request, s), "page", new ErrorPage(status, s.getReason(), text))));
    }

    /** A request without a session: to the sign-in page (a page), or 401 pointing htmx there. */
    public static MutableHttpResponse<?> signInFirst(HttpRequest<?> request) {
        String accept = request.getHeaders().get(HttpHeaders.ACCEPT);
        boolean page = !UiContext.isHtmx(request) && request.getMethodName().equals("GET")
                && accept != null && accept.contains("text/html");
        String next = request.getPath();
        String login = LOGIN + (next.equals(LOGIN) || next.equals("/ui") ? "" : "?next=" + URLEncoder.encode(next, StandardCharsets.UTF_8));
        if (page) {
            return HttpResponse.seeOther(java.net.URI.create(login));
        }
        return HttpResponse.status(HttpStatus.UNAUTHORIZED).contentType(MediaType.TEXT_PLAIN_TYPE)
                .header("HX-Redirect", login)
                .body("Sign in first: " + LOGIN);
    }

    /** A signed-in caller whose role may not do this. */
    public static MutableHttpResponse<?> forbidden(HttpRequest<?> request, Caller caller) {
        String message = caller == null ? "Your key may not do this."
                : "Key '" + caller.keyName() + "' is a " + caller.kind().role() + " key: only an admin key may do this.";
        return render(request, 403, null, message);
    }

    /**
     * Renders a template to a string here: an error response may come from a filter (security) that
     * runs outside the views filter, so a ModelAndView body would not be rendered.
     */
    private static String html(String template, Map<String, Object> params) {
        StringOutput out = new StringOutput();
        TEMPLATES.render(template + ".jte", params, out);
        return out.toString();
    }

    private static Layout layoutOf(HttpRequest<?> request, HttpStatus s) {
        // No database here (this may run on the event loop): the nav's badge loads itself (count -1).
        return request.getUserPrincipal(Authentication.class)
                .map(a -> (Caller) a.getAttributes().get(Caller.ATTRIBUTE))
                .map(c -> new Layout(s.getReason(), "", c.keyName(), c.kind().role(), c.isAdmin(),
                        UiContext.session(request).map(x -> x.csrfToken()).orElse(""), -1, null))
                .orElse(Layout.anonymous(s.getReason(), null));
    }
}
