package io.github.edgestream.api.reductstore;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.edgestream.core.model.StreamName;
import io.github.edgestream.core.service.StreamService;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A bucket's quota, over all its entries together, enforced before every write: {@code HARD} refuses a write that
 * would take the bucket past {@code quota_size} (400, "Quota of 'b' exceeded", as ReductStore); {@code FIFO} first
 * deletes the oldest segment of the entry whose oldest record is the oldest of the bucket, again and again, until the
 * write fits (ReductStore removes the oldest block the same way). Sizes are the store's: payloads plus a fixed
 * overhead per record.
 *
 * <p>What differs from ReductStore: a segment is deleted whole, and the segment an entry is writing is never deleted,
 * so a FIFO bucket whose entries each hold one segment cannot make room and the write goes through over the quota
 * (a warning is logged). A bucket's {@code max_block_size} is its entries' segment size, so small blocks make FIFO
 * fine-grained. Two writes at the same moment may each see room for itself: the quota may be passed by one write.
 */
final class Quotas {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Quotas.class);

    private final Buckets buckets;

    Quotas(Buckets buckets) {
        this.buckets = buckets;
    }

    /** Makes room for {@code incoming} bytes in {@code bucket}, or refuses them. */
    CompletionStage<Void> keep(String bucket, long incoming) {
        ObjectNode settings = buckets.settings(bucket);
        String type = settings.path("quota_type").asText("NONE");
        long quota = settings.path("quota_size").asLong(0);
        if (type.equals("NONE") || quota <= 0) {
            return CompletableFuture.completedFuture(null);
        }
        long used = used(bucket);
        if (used + incoming <= quota) {
            return CompletableFuture.completedFuture(null);
        }
        if (type.equals("HARD")) {
            throw ReductException.badRequest("Quota of '" + bucket + "' exceeded: the bucket holds " + used
                    + " bytes, the write brings " + incoming + ", the quota is " + quota);
        }
        return evict(bucket, incoming, quota, 0);
    }

    private CompletionStage<Void> evict(String bucket, long incoming, long quota, int rounds) {
        if (used(bucket) + incoming <= quota || rounds > 10_000) {
            return CompletableFuture.completedFuture(null);
        }
        List<Buckets.EntryFigures> entries = buckets.entries(bucket).stream()
                .filter(e -> e.recordCount() > 0 && e.blockCount() > 1)
                .sorted(java.util.Comparator.comparingLong(Buckets.EntryFigures::oldest)).toList();
        if (entries.isEmpty()) {
            LOG.warn("bucket \"{}\": FIFO quota of {} bytes cannot make room for {} bytes: every entry holds only the"
                    + " segment it is writing", bucket, quota, incoming);
            return CompletableFuture.completedFuture(null);
        }
        StreamService service = buckets.bucket(bucket);
        return service.evictOldestSegment(StreamName.anyOf(entries.get(0).name()), 0)
                .thenCompose(freed -> evict(bucket, incoming, quota, rounds + 1));
    }

    private long used(String bucket) {
        return buckets.entries(bucket).stream().mapToLong(Buckets.EntryFigures::size).sum();
    }
}
