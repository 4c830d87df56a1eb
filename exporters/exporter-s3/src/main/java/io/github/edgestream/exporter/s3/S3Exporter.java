package io.github.edgestream.exporter.s3;

import io.github.edgestream.core.export.spi.Batch;
import io.github.edgestream.core.export.spi.BatchLimits;
import io.github.edgestream.core.export.spi.ExportNotices;
import io.github.edgestream.core.export.spi.ExportResult;
import io.github.edgestream.core.export.spi.Exporter;
import io.github.edgestream.core.model.Message;
import io.github.edgestream.exporter.s3.S3TaskDefinition.InvalidTaskException;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Runs S3 upload tasks, one per call: parses the task ({@link S3TaskDefinition}), resolves its key, and uploads the
 * file with one {@code PutObject} up to the multipart threshold, else as a multipart upload whose parts stream from
 * disk ({@link S3RequestBuilder}). A multipart upload that does not complete is aborted, so no orphaned parts keep
 * costing storage; if the abort fails too, that is reported through {@link ExportNotices} (a Warning status).
 *
 * <p>Results: {@link ExportResult.Delivered} with a note (bytes, bucket, final key); {@link ExportResult.Rejected}
 * for a task that cannot succeed as it is (see {@link S3ResponseClassifier}); {@link ExportResult.Retry} for what
 * may pass. After a restart the runtime runs an interrupted task again from the start.
 *
 * <p>Each task is checked first (file, bucket, key), without a client: a task that cannot succeed fails even while
 * the client cannot be built (no region configured). A valid task then waits for the client: {@link
 * ExportResult.Retry} with the reason, reported once as a warning, and again only when the reason changes.
 *
 * <p>Called by the export runtime from one worker thread at a time. Thread-safe: the client holder and the SDK
 * client are, and the rest is immutable.
 */
final class S3Exporter implements Exporter {

    private final S3ExporterConfig config;
    private final S3ExporterClient clients;
    private final S3RequestBuilder requests;
    private final ExportNotices notices;
    /** The last reason the client could not be built that was reported as a warning; "" once it was built. */
    private final AtomicReference<String> reportedCannotStart = new AtomicReference<>("");

    S3Exporter(S3ExporterConfig config, S3ExporterClient clients, S3RequestBuilder requests, ExportNotices notices) {
        this.config = config;
        this.clients = clients;
        this.requests = requests;
        this.notices = notices;
    }

    @Override
    public BatchLimits limits() {
        return config.limits();
    }

    @Override
    public ExportResult export(Batch batch) throws InterruptedException {
        Message message = batch.messages().get(0);
        S3TaskDefinition task;
        String key;
        long size;
        try {
            task = S3TaskDefinition.parse(message.payload());
            key = requests.resolveKey(task.key());
            size = S3RequestBuilder.checkFile(task);
        } catch (InvalidTaskException e) {
            return new ExportResult.Rejected(e.getMessage());
        }
        String where = "s3://" + task.bucket() + "/" + key;
        S3Client client;
        try {
            client = clients.get();
            reportedCannotStart.set("");
        } catch (S3ExporterClient.CannotStartException e) {
            String reason = "the S3 destination cannot start: " + e.getMessage();
            if (!reason.equals(reportedCannotStart.getAndSet(reason))) {   // once, then when the reason changes
                notices.warning(message.sequenceNumber(), reason + "; " + where + " waits and is tried again");
            }
            return new ExportResult.Retry(reason);
        }
        ExportResult result = requests.multipart(size)
                ? multipart(client, message.sequenceNumber(), task, key, size, where)
                : single(client, task, key, size, where);
        if (result instanceof ExportResult.Delivered) {
            String how = requests.multipart(size) ? requests.parts(size).size() + " parts" : "one PUT";
            return new ExportResult.Delivered(Map.of(message.sequenceNumber(), new ExportResult.Note(
                    "uploaded " + size + " bytes from " + task.inputUrl() + " to " + where + " (" + how + ")",
                    Map.of("bucket", task.bucket(), "key", key))));
        }
        return result;
    }

    private ExportResult single(S3Client client, S3TaskDefinition task, String key, long size, String where)
            throws InterruptedException {
        try {
            client.putObject(requests.putObject(task, key, size), RequestBody.fromFile(task.file()));
            return ExportResult.DELIVERED;
        } catch (SdkException e) {
            throwIfInterrupted(e);
            return S3ResponseClassifier.classify("PutObject to " + where, task.bucket(), key, e);
        } catch (java.io.UncheckedIOException e) {
            return new ExportResult.Rejected("cannot read " + task.inputUrl() + ": " + e.getMessage());
        }
    }

    private ExportResult multipart(S3Client client, long sequenceNumber, S3TaskDefinition task, String key, long size,
            String where)
            throws InterruptedException {
        String uploadId;
        try {
            uploadId = client.createMultipartUpload(requests.createMultipartUpload(task, key)).uploadId();
        } catch (SdkException e) {
            throwIfInterrupted(e);
            return S3ResponseClassifier.classify("CreateMultipartUpload for " + where, task.bucket(), key, e);
        }
        List<CompletedPart> completed = new ArrayList<>();
        try {
            for (S3RequestBuilder.Part part : requests.parts(size)) {
                if (Thread.interrupted()) {
                    throw new InterruptedException("stopped while uploading " + where);
                }
                String etag = client.uploadPart(requests.uploadPart(task, key, uploadId, part),
                        S3RequestBuilder.body(task.file(), part.offset(), part.length())).eTag();
                completed.add(CompletedPart.builder().partNumber(part.number()).eTag(etag).build());
            }
            if (Files.size(task.file()) != size) {
                abort(client, sequenceNumber, task, key, uploadId);
                return new ExportResult.Rejected(task.inputUrl() + " changed while uploading (it was " + size
                        + " bytes)");
            }
            client.completeMultipartUpload(r -> r.bucket(task.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(u -> u.parts(completed)));
            return ExportResult.DELIVERED;
        } catch (SdkException e) {
            abort(client, sequenceNumber, task, key, uploadId);
            throwIfInterrupted(e);
            return S3ResponseClassifier.classify("multipart upload " + uploadId + " to " + where + " (part "
                    + (completed.size() + 1) + ")", task.bucket(), key, e);
        } catch (IOException | java.io.UncheckedIOException e) {
            abort(client, sequenceNumber, task, key, uploadId);
            return new ExportResult.Rejected("cannot read " + task.inputUrl() + " while uploading: " + e.getMessage());
        } catch (InterruptedException e) {
            abort(client, sequenceNumber, task, key, uploadId);
            throw e;
        }
    }

    /** Best effort; a failure is a warning, since the parts then cost storage until a lifecycle rule removes them. */
    private void abort(S3Client client, long sequenceNumber, S3TaskDefinition task, String key, String uploadId) {
        boolean interrupted = Thread.interrupted();   // let the abort's own I/O run
        try {
            client.abortMultipartUpload(r -> r.bucket(task.bucket()).key(key).uploadId(uploadId));
        } catch (SdkException e) {
            notices.warning(sequenceNumber, "could not abort multipart upload " + uploadId + " of s3://"
                    + task.bucket() + "/" + key + ": " + e.getMessage() + "; its parts are kept (and billed) until"
                    + " aborted or removed by a bucket lifecycle rule");
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static void throwIfInterrupted(SdkException e) throws InterruptedException {
        if (Thread.interrupted() || e instanceof AbortedException || e.getCause() instanceof InterruptedException) {
            var interrupted = new InterruptedException("interrupted during an S3 call");
            interrupted.initCause(e);
            throw interrupted;
        }
    }

    @Override
    public void close() {
        clients.close();
    }
}
