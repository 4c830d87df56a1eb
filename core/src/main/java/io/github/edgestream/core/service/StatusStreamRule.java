package io.github.edgestream.core.service;

import io.github.edgestream.core.model.ExportConfig;
import io.github.edgestream.core.model.InvalidStreamDefinitionException;
import io.github.edgestream.core.model.StreamDefinition;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.model.ValidationProblem;
import io.github.edgestream.core.stream.CatalogRule;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The status stream an S3 task executor reports to must exist when the stream that names it is created or updated
 * (a stream may name itself). Problems use the model's field paths ({@code exports[i].statusConfig.statusStreamName},
 * {@code i} the export's index in the definition), and quote the name in full, never shortened (names are at most
 * 255 characters). Stateless.
 */
final class StatusStreamRule implements CatalogRule {

    static final StatusStreamRule INSTANCE = new StatusStreamRule();

    private StatusStreamRule() {
    }

    @Override
    public void check(StreamDefinition definition, Predicate<StreamName> exists) {
        List<ValidationProblem> problems = new ArrayList<>();
        List<ExportConfig> exports = definition.exports();
        for (int i = 0; i < exports.size(); i++) {
            if (exports.get(i) instanceof ExportConfig.S3TaskExecutor s3) {
                String field = "exports[" + i + "].statusConfig.statusStreamName";
                s3.statusConfig().flatMap(ExportConfig.StatusConfig::statusStreamName)
                        .filter(name -> !name.equals(definition.name()) && !exists.test(name))
                        .ifPresent(name -> problems.add(new ValidationProblem(field, '"' + name.value() + '"',
                                "name an existing stream; create the status stream first")));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidStreamDefinitionException(problems);
        }
    }
}
