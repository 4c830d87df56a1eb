/**
 * The ReductStore HTTP API (issue 15): under construction. Not yet registered as an
 * {@link io.github.edgestream.http.HttpApiProvider}, so the daemon does not serve it.
 */
package io.github.edgestream.api.reductstore;
