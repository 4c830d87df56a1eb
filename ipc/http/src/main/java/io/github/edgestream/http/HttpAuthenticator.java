package io.github.edgestream.http;

import io.github.edgestream.http.auth.AuthScheme;
import io.github.edgestream.http.auth.Authentication;
import io.github.edgestream.http.auth.Principal;

/**
 * Decides who is calling, once the whole request has arrived (a signature covers the body). The layer calls it for
 * every request before the API's handler; the API then checks the principal's scope for what the request touches.
 */
@FunctionalInterface
public interface HttpAuthenticator {

    /** Authentication off: every request acts with every permission. */
    HttpAuthenticator OPEN = (scheme, call) -> new Authentication.Granted(Principal.everything("unauthenticated"));

    Authentication authenticate(AuthScheme scheme, HttpCall call);
}
