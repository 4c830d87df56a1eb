package io.github.edgestream.ipc.wire;

import io.github.edgestream.core.model.ExportFormat;
import io.github.edgestream.core.model.Persistence;
import io.github.edgestream.core.model.StatusLevel;
import io.github.edgestream.core.model.StrategyOnFull;
import java.util.List;

/**
 * The protocol's integer codes for core's enums, and the names the official SDKs give them (protocol sections 7.2
 * and 7.6). The codes never change; core's enums know none of them.
 *
 * <pre>
 * code  StrategyOnFull        Persistence  ExportFormat     StatusLevel
 *  0    RejectNewData         File         RAW_NOT_BATCHED  ERROR
 *  1    OverwriteOldestData   Memory       JSON_BATCHED     WARN
 *  2                                                        INFO
 *  3                                                        DEBUG
 *  4                                                        TRACE
 * </pre>
 *
 * Stateless.
 */
public final class ProtocolCodes {

    /** Each enum's constants by code: the index is the code. */
    private static final List<StrategyOnFull> STRATEGIES =
            List.of(StrategyOnFull.REJECT_NEW_DATA, StrategyOnFull.OVERWRITE_OLDEST_DATA);
    private static final List<String> STRATEGY_NAMES = List.of("RejectNewData", "OverwriteOldestData");
    private static final List<Persistence> PERSISTENCES = List.of(Persistence.FILE, Persistence.MEMORY);
    private static final List<String> PERSISTENCE_NAMES = List.of("File", "Memory");
    private static final List<ExportFormat> EXPORT_FORMATS =
            List.of(ExportFormat.RAW_NOT_BATCHED, ExportFormat.JSON_BATCHED);
    private static final List<StatusLevel> STATUS_LEVELS = List.of(StatusLevel.ERROR, StatusLevel.WARN,
            StatusLevel.INFO, StatusLevel.DEBUG, StatusLevel.TRACE);

    /** How many codes {@code StrategyOnFull}, {@code Persistence}, {@code ExportFormat} and {@code StatusLevel} have. */
    static final int STRATEGY_COUNT = STRATEGIES.size();
    static final int PERSISTENCE_COUNT = PERSISTENCES.size();
    static final int EXPORT_FORMAT_COUNT = EXPORT_FORMATS.size();
    static final int STATUS_LEVEL_COUNT = STATUS_LEVELS.size();

    private ProtocolCodes() {
    }

    public static int code(StrategyOnFull value) {
        return STRATEGIES.indexOf(value);
    }

    public static int code(Persistence value) {
        return PERSISTENCES.indexOf(value);
    }

    public static int code(ExportFormat value) {
        return EXPORT_FORMATS.indexOf(value);
    }

    public static int code(StatusLevel value) {
        return STATUS_LEVELS.indexOf(value);
    }

    /** @throws IllegalArgumentException for a code that is not 0 or 1 */
    public static StrategyOnFull strategyOnFull(long code) {
        return byCode(STRATEGIES, "StrategyOnFull", code);
    }

    /** @throws IllegalArgumentException for a code that is not 0 or 1 */
    public static Persistence persistence(long code) {
        return byCode(PERSISTENCES, "Persistence", code);
    }

    /** @throws IllegalArgumentException for a code that is not 0 or 1 */
    public static ExportFormat exportFormat(long code) {
        return byCode(EXPORT_FORMATS, "ExportFormat", code);
    }

    /** @throws IllegalArgumentException for a code outside 0 to 4 */
    public static StatusLevel statusLevel(long code) {
        return byCode(STATUS_LEVELS, "StatusLevel", code);
    }

    /** The SDKs' name: {@code RejectNewData} or {@code OverwriteOldestData}. */
    public static String name(StrategyOnFull value) {
        return STRATEGY_NAMES.get(code(value));
    }

    /** The SDKs' name: {@code File} or {@code Memory}. */
    public static String name(Persistence value) {
        return PERSISTENCE_NAMES.get(code(value));
    }

    private static <E> E byCode(List<E> constants, String type, long code) {
        if (code < 0 || code >= constants.size()) {
            throw new IllegalArgumentException("unknown " + type + " code " + code);
        }
        return constants.get((int) code);
    }
}
