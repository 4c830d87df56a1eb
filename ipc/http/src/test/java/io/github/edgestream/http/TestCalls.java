package io.github.edgestream.http;

import io.github.edgestream.http.auth.Principal;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;

/** Builds an {@link HttpCall} without a server, for authenticator unit tests. */
public final class TestCalls {

    private TestCalls() {
    }

    /** A GET of {@code /} over HTTP/1.1 with these header name/value pairs, not yet authenticated. */
    public static HttpCall call(String... headers) {
        HttpHeaders values = new DefaultHttpHeaders();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            values.add(headers[i], headers[i + 1]);
        }
        return new HttpCall(HttpMethod.GET, "/", values, Unpooled.EMPTY_BUFFER, "HTTP/1.1", null, Principal.NOBODY);
    }
}
