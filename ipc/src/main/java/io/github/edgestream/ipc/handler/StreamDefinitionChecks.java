package io.github.edgestream.ipc.handler;

import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.stream.StreamStore;
import io.github.edgestream.ipc.dispatch.InvalidRequestException;
import java.util.ArrayList;
import java.util.List;

/** Checks of a definition that need the store: the status streams an S3 executor reports to must exist. */
final class StreamDefinitionChecks {

    private StreamDefinitionChecks() {
    }

    static void statusStreamsExist(StreamDefinition definition, StreamStore store) {
        List<String> missing = new ArrayList<>();
        List<ExportConfig> exports = definition.exports();
        int s3Index = 0;
        for (ExportConfig export : exports) {
            if (export instanceof ExportConfig.S3TaskExecutor s3) {
                int index = s3Index++;
                s3.statusConfig().flatMap(ExportConfig.StatusConfig::statusStreamName)
                        .filter(name -> !name.equals(definition.name()) && store.find(name).isEmpty())
                        .ifPresent(name -> missing.add("definition.exportDefinition.s3TaskExecutor[" + index
                                + "].statusConfig.statusStreamName is \"" + name
                                + "\" but must name an existing stream; create the status stream first"));
            }
        }
        if (!missing.isEmpty()) {
            throw new InvalidRequestException(String.join("; ", missing));
        }
    }

    static StreamName name(String value) {
        return StreamName.of(value);
    }
}
