package io.github.edgestream.ipc.server;

import io.github.edgestream.ipc.codec.MessageFrame;
import io.github.edgestream.ipc.wire.MalformedRequestException;
import io.github.edgestream.ipc.wire.Operation;
import io.github.edgestream.ipc.wire.RequestEncoder;
import io.github.edgestream.ipc.wire.Response;
import io.github.edgestream.ipc.wire.ResponseDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;

/** A plain socket speaking the protocol by hand, for sending what no well-behaved client would. */
final class RawConnection implements AutoCloseable {

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    RawConnection(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** Preamble and a valid Connect, then the ConnectResponse read. */
    static RawConnection handshaken(int port) throws IOException {
        RawConnection connection = new RawConnection(port);
        connection.send(RequestEncoder.connect(UnpooledByteBufAllocator.DEFAULT, "c1", null));
        connection.readPreamble();
        connection.readFrame();
        return connection;
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    void send(ByteBuf buffer) throws IOException {
        try {
            send(ByteBufUtil.getBytes(buffer));
        } finally {
            buffer.release();
        }
    }

    int readPreamble() throws IOException {
        return in.readUnsignedByte();
    }

    MessageFrame readFrame() throws IOException {
        int length = in.readInt();
        int operation = in.readByte();
        byte[] payload = new byte[length - 1];
        in.readFully(payload);
        return new MessageFrame(operation, payload);
    }

    Response readResponse() throws IOException {
        MessageFrame frame = readFrame();
        try {
            return ResponseDecoder.decode(Operation.fromCode(frame.operation()).orElseThrow(), frame.payload());
        } catch (MalformedRequestException e) {
            throw new IOException(e);
        }
    }

    /** Whether the server closed the connection (reads end of stream within the socket timeout). */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (EOFException | java.net.SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
