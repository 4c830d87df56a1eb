package io.github.edgestream.cli;

import io.github.edgestream.ipc.client.StreamManagerClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code edgestream append STREAM [MESSAGE...] | --stdin | --file F}. */
@Command(name = "append", description = "Append messages to a stream: each argument is one message, or each line"
        + " of standard input (--stdin), or a whole file (--file). Prints the sequence numbers.",
        mixinStandardHelpOptions = true)
final class AppendCommand extends ClientCommand {

    @Parameters(index = "0", description = "Stream name.")
    String stream;

    @Parameters(index = "1..*", arity = "0..*", description = "Messages (UTF-8 text).")
    List<String> messages = new ArrayList<>();

    @Option(names = "--stdin", description = "Append each line of standard input as one message.")
    boolean stdin;

    @Option(names = "--file", description = "Append the whole file as one message.")
    Path file;

    @Override
    int run(StreamManagerClient client, Output output) throws Exception {
        int sources = (messages.isEmpty() ? 0 : 1) + (stdin ? 1 : 0) + (file == null ? 0 : 1);
        if (sources != 1) {
            throw new UsageException("give messages as arguments, or --stdin, or --file (one of them)");
        }
        List<Long> sequences = new ArrayList<>();
        if (file != null) {
            sequences.add(await(client.appendMessage(stream, Files.readAllBytes(file))));
        } else if (stdin) {
            // pipelined: many appends in flight, acknowledged in order of their sequence numbers
            List<CompletableFuture<Long>> pending = new ArrayList<>();
            BufferedReader reader = new BufferedReader(new InputStreamReader(stdin(), StandardCharsets.UTF_8));
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (!line.isEmpty()) {
                    pending.add(client.appendMessage(stream, line.getBytes(StandardCharsets.UTF_8)));
                }
                if (pending.size() >= 256) {
                    sequences.add(await(pending.remove(0)));
                }
            }
            for (CompletableFuture<Long> append : pending) {
                sequences.add(await(append));
            }
        } else {
            for (String message : messages) {
                sequences.add(await(client.appendMessage(stream, message.getBytes(StandardCharsets.UTF_8))));
            }
        }
        if (output.json()) {
            output.printJson(Map.of("stream", stream, "sequenceNumbers", sequences));
        } else if (sequences.size() == 1) {
            output.line("appended to \"" + stream + "\" as sequence number " + sequences.get(0));
        } else {
            output.line("appended " + sequences.size() + " messages to \"" + stream + "\" as sequence numbers "
                    + (sequences.isEmpty() ? "(none)" : sequences.get(0) + ".." + sequences.get(sequences.size() - 1)));
        }
        return ExitCodes.OK;
    }
}
