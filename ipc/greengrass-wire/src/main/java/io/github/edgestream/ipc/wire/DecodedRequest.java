package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.ValidationProblem;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A request and everything wrong with it. With no problems the request is valid; otherwise the server answers
 * {@code InvalidRequest} listing them all, to the request's id.
 */
public record DecodedRequest(Request request, List<ValidationProblem> problems) {

    public boolean isValid() {
        return problems.isEmpty();
    }

    /** The problems as one message, e.g. {@code invalid request: name is "a/b" but must ...; payload is missing ...}. */
    public String problemMessage() {
        return "invalid " + request.operation().name() + " request: "
                + problems.stream().map(ValidationProblem::message).collect(Collectors.joining("; "));
    }
}
