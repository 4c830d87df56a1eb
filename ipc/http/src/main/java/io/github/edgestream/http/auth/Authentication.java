package io.github.edgestream.http.auth;

import io.github.edgestream.http.HttpProblem;
import java.util.Objects;

/** The outcome of checking a request's credentials: who is calling, or why the request is refused. */
public sealed interface Authentication {

    /** The request carries valid credentials of this principal. */
    record Granted(Principal principal) implements Authentication {
        public Granted {
            Objects.requireNonNull(principal, "principal");
        }
    }

    /** The request is refused; the API answers the problem in its own shape. */
    record Refused(HttpProblem problem) implements Authentication {
        public Refused {
            Objects.requireNonNull(problem, "problem");
        }
    }
}
