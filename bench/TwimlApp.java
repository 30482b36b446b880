import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Executors;

/**
 * The benchmark's application server: /voice answers Play of a cached one-second prompt then
 * Hangup; /hold plays the prompt in a loop (for the concurrency run); /prompt.wav is the prompt.
 * Run with: java -Dsun.net.httpserver.nodelay=true bench/TwimlApp.java PORT
 */
public class TwimlApp {
    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        String base = "http://127.0.0.1:" + port;
        byte[] voice = ("<Response><Play>" + base + "/prompt.wav</Play><Hangup/></Response>").getBytes(StandardCharsets.UTF_8);
        byte[] hold = ("<Response><Play loop=\"0\">" + base + "/prompt.wav</Play></Response>").getBytes(StandardCharsets.UTF_8);
        byte[] prompt = prompt();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/voice", ex -> reply(ex, "text/xml", voice));
        server.createContext("/hold", ex -> reply(ex, "text/xml", hold));
        server.createContext("/prompt.wav", ex -> {
            ex.getResponseHeaders().add("Cache-Control", "max-age=86400");
            reply(ex, "audio/wav", prompt);
        });
        server.start();
    }

    static void reply(com.sun.net.httpserver.HttpExchange ex, String type, byte[] body) throws java.io.IOException {
        ex.getRequestBody().readAllBytes();
        ex.getResponseHeaders().add("Content-Type", type);
        ex.sendResponseHeaders(200, body.length);
        ex.getResponseBody().write(body);
        ex.close();
    }

    static byte[] prompt() {
        int n = 8000;
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * n).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes()).putInt(36 + 2 * n).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(8000).putInt(16000).putShort((short) 2).putShort((short) 16)
                .put("data".getBytes()).putInt(2 * n);
        for (int i = 0; i < n; i++) {
            b.putShort((short) (6000 * Math.sin(2 * Math.PI * 440 * i / 8000)));
        }
        return b.array();
    }
}
