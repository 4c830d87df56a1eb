package io.github.edgestream.api.s2;

import java.util.Map;

/** The S2 API's settings (the daemon's {@code api.s2.*} keys). */
record S2Settings() {

    static S2Settings from(Map<String, String> options) {
        return new S2Settings();
    }
}
