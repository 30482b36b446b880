package dev.patchbay.webhook;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One kept-alive HTTP/1.1 connection of {@link KeepAliveClient} and its read buffer: writes a
 * request, reads an answer (fixed length, chunked, or to the end), and says whether it can be used
 * again. Used by one exchange at a time.
 */
final class Http1Connection {

    private static final int HEAD_LIMIT = 16 * 1024;
    private static final Pattern CRLF = Pattern.compile("\r\n");

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private byte[] buf = new byte[4096];
    private int pos;
    private int end;
    long idleSince;
    boolean answered;
    boolean reusable;

    private Http1Connection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    static Http1Connection open(URI uri, long connectMillis) throws IOException {
        String host = uri.getHost();
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(new InetSocketAddress(host, KeepAliveClient.port(uri)), (int) Math.max(1, connectMillis));
            return new Http1Connection(s);
        } catch (IOException | RuntimeException e) {
            s.close();
            throw e;
        }
    }

    void write(byte[] head, byte[] body) throws IOException {
        if (body.length == 0) {
            out.write(head);
        } else {
            byte[] all = new byte[head.length + body.length];
            System.arraycopy(head, 0, all, 0, head.length);
            System.arraycopy(body, 0, all, head.length, body.length);
            out.write(all);   // one segment: with TCP_NODELAY two writes would be two packets
        }
        out.flush();
    }

    KeepAliveClient.Response read(long deadline, int maxBody) throws IOException {
        reusable = false;
        pos = 0;
        end = 0;
        int status;
        Map<String, String> headers;
        String version;
        do {   // 1xx answers are skipped
            int headEnd = fillHead(deadline);
            String head = new String(buf, pos, headEnd - pos, StandardCharsets.ISO_8859_1);
            pos = headEnd + 4;
            String[] lines = CRLF.split(head);
            String[] statusLine = lines[0].split(" ", 3);
            if (statusLine.length < 2 || !statusLine[0].startsWith("HTTP/1.")) {
                throw new IOException("not an HTTP/1.x answer: " + abbreviate(lines[0]));
            }
            version = statusLine[0];
            try {
                status = Integer.parseInt(statusLine[1]);
            } catch (NumberFormatException e) {
                throw new IOException("not an HTTP status: " + abbreviate(lines[0]));
            }
            headers = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.putIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
        } while (status / 100 == 1);
        String connection = headers.getOrDefault("connection", "").toLowerCase(Locale.ROOT);
        boolean keepAlive = version.equals("HTTP/1.1") ? !connection.contains("close") : connection.contains("keep-alive");
        String encoding = headers.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT);
        String length = headers.get("content-length");
        byte[] body;
        if (status == 204 || status == 304) {
            body = new byte[0];
        } else if (encoding.contains("chunked")) {
            body = chunked(deadline, maxBody);
        } else if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                throw new IOException("bad Content-Length: " + abbreviate(length));
            }
            if (n < 0) {
                throw new IOException("bad Content-Length: " + n);
            }
            if (n > maxBody) {
                throw new KeepAliveClient.TooLarge(n, maxBody);
            }
            body = take((int) n, deadline);
        } else {
            body = untilClosed(deadline, maxBody);
            keepAlive = false;
        }
        reusable = keepAlive && pos == end;   // nothing unasked-for left on the wire
        return new KeepAliveClient.Response(status, headers, body);
    }

    /** Reads until the blank line that ends a head; returns the index of its CRLFCRLF. */
    private int fillHead(long deadline) throws IOException {
        while (true) {
            for (int i = pos + 3; i < end; i++) {   // from the start each time: fill() may move the bytes
                if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' && buf[i - 3] == '\r') {
                    return i - 3;
                }
            }
            if (end - pos >= HEAD_LIMIT) {
                throw new IOException("the answer's head is longer than " + HEAD_LIMIT + " bytes");
            }
            if (fill(deadline) < 0) {
                throw new EOFException("the connection closed before an answer");
            }
        }
    }

    private byte[] take(int n, long deadline) throws IOException {
        byte[] out = new byte[n];
        int got = Math.min(n, end - pos);
        System.arraycopy(buf, pos, out, 0, got);
        pos += got;
        while (got < n) {
            socket.setSoTimeout((int) remainingMillis(deadline));
            int r = in.read(out, got, n - got);
            if (r < 0) {
                throw new EOFException("the connection closed " + (n - got) + " bytes before the end of the answer");
            }
            got += r;
        }
        return out;
    }

    private byte[] chunked(long deadline, int maxBody) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = line(deadline);
            int semicolon = sizeLine.indexOf(';');
            int size;
            try {
                size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).trim(), 16);
            } catch (NumberFormatException e) {
                throw new IOException("bad chunk size: " + abbreviate(sizeLine));
            }
            if (size < 0 || (long) body.size() + size > maxBody) {
                throw new KeepAliveClient.TooLarge((long) body.size() + size, maxBody);
            }
            if (size == 0) {
                while (!line(deadline).isEmpty()) {
                    // trailers are dropped
                }
                return body.toByteArray();
            }
            body.write(take(size, deadline));
            if (!line(deadline).isEmpty()) {
                throw new IOException("a chunk did not end where its size said");
            }
        }
    }

    private String line(long deadline) throws IOException {
        while (true) {
            for (int i = pos; i + 1 < end; i++) {
                if (buf[i] == '\r' && buf[i + 1] == '\n') {
                    String s = new String(buf, pos, i - pos, StandardCharsets.ISO_8859_1);
                    pos = i + 2;
                    return s;
                }
            }
            if (end - pos >= HEAD_LIMIT) {
                throw new IOException("a chunk line is longer than " + HEAD_LIMIT + " bytes");
            }
            if (fill(deadline) < 0) {
                throw new EOFException("the connection closed inside a chunked answer");
            }
        }
    }

    private byte[] untilClosed(long deadline, int maxBody) throws IOException {
        while (fill(deadline) >= 0) {
            if (end - pos > maxBody) {
                throw new KeepAliveClient.TooLarge(end - pos, maxBody);
            }
        }
        byte[] out = new byte[end - pos];
        System.arraycopy(buf, pos, out, 0, out.length);
        pos = end;
        return out;
    }

    /** Reads more into the buffer (compacting or growing it); the count, or -1 at the end of the stream. */
    private int fill(long deadline) throws IOException {
        if (pos > 0 && end == buf.length) {
            System.arraycopy(buf, pos, buf, 0, end - pos);
            end -= pos;
            pos = 0;
        }
        if (end == buf.length) {
            buf = Arrays.copyOf(buf, buf.length * 2);
        }
        socket.setSoTimeout((int) remainingMillis(deadline));
        int r = in.read(buf, end, buf.length - end);
        if (r > 0) {
            end += r;
            answered = true;
        }
        return r;
    }

    void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing to do for a connection given up
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }

    static long remainingMillis(long deadline) throws SocketTimeoutException {
        long left = (deadline - System.nanoTime()) / 1_000_000;
        if (left <= 0) {
            throw new SocketTimeoutException("timed out");
        }
        return left;
    }
}
