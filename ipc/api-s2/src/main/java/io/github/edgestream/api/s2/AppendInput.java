package io.github.edgestream.api.s2;

import io.github.edgestream.core.stream.AppendRecord;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One append as a client sent it ({@code s2.v1.AppendInput}, or its JSON form), decoded and checked against S2's
 * limits: records as the store takes them (timestamps in µs or {@link AppendRecord#INGEST_TIME}), and the batch's
 * conditions.
 *
 * @param records      1 to 1,000 records
 * @param matchSeqNum  the sequence number the first record must get, if given
 * @param fencingToken the token the stream's must equal, if given
 * @param meteredBytes the batch's size by S2's metering formula (at most 1 MiB)
 */
record AppendInput(List<AppendRecord> records, OptionalLong matchSeqNum, Optional<String> fencingToken,
        long meteredBytes) {

    AppendInput {
        records = List.copyOf(records);
        Objects.requireNonNull(matchSeqNum, "matchSeqNum");
        Objects.requireNonNull(fencingToken, "fencingToken");
    }
}
