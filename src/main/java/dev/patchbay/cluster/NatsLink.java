package dev.patchbay.cluster;

import dev.patchbay.PatchbayException;
import dev.patchbay.call.CallControl;
import dev.patchbay.call.CallOwners;
import dev.patchbay.number.HttpMethod;
import dev.patchbay.twiml.TwimlParser;
import io.nats.client.Connection;
import io.nats.client.Dispatcher;
import io.nats.client.Message;
import io.nats.client.Nats;
import io.nats.client.Options;
import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Nodes reach each other's live calls over NATS: each node answers requests on
 * {@code patchbay.calls.<node>} by applying them to the calls it owns, and forwards a change to
 * another node's call there (request/reply, form-encoded). A refusal comes back with its code.
 */
public final class NatsLink implements CallOwners, AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NatsLink.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final Connection nats;
    private final Dispatcher dispatcher;

    private NatsLink(Connection nats, Dispatcher dispatcher) {
        this.nats = nats;
        this.dispatcher = dispatcher;
    }

    /** Connects and starts answering for {@code nodeId}'s calls through {@code control}. */
    public static NatsLink start(String url, String nodeId, CallControl control) {
        try {
            Connection nats = Nats.connect(new Options.Builder().server(url).connectionName("patchbay-" + nodeId)
                    .connectionTimeout(Duration.ofSeconds(5)).maxReconnects(-1).build());
            Dispatcher dispatcher = nats.createDispatcher(message -> answer(nats, control, message));
            dispatcher.subscribe(subject(nodeId));
            log.info("cluster link on {} answering {}", url.replaceAll("//[^@/]*@", "//"), subject(nodeId));   // never the credentials
            return new NatsLink(nats, dispatcher);
        } catch (IOException e) {
            throw new IllegalStateException("cannot connect to NATS at " + url.replaceAll("//[^@/]*@", "//") + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while connecting to NATS", e);
        }
    }

    static String subject(String nodeId) {
        return "patchbay.calls." + nodeId.replaceAll("[^A-Za-z0-9_-]", "_");
    }

    @Override
    public void forward(String nodeId, String accountSid, String callSid, CallControl.Change change) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("account", accountSid);
        form.put("call", callSid);
        switch (change) {
            case CallControl.Change.Redirect r -> {
                form.put("change", "redirect");
                form.put("url", r.url());
                form.put("method", r.method().name());
            }
            case CallControl.Change.Twiml t -> {
                form.put("change", "twiml");
                form.put("twiml", t.source());
            }
            case CallControl.Change.Complete c -> form.put("change", "completed");
            case CallControl.Change.Cancel c -> form.put("change", "canceled");
        }
        Message reply;
        try {
            reply = nats.request(subject(nodeId), encode(form).getBytes(StandardCharsets.UTF_8), TIMEOUT);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw unreachable(nodeId, callSid);
        } catch (RuntimeException e) {
            throw unreachable(nodeId, callSid);
        }
        if (reply == null) {
            throw unreachable(nodeId, callSid);
        }
        Map<String, String> answer = decode(new String(reply.getData(), StandardCharsets.UTF_8));
        if (!"ok".equals(answer.get("status"))) {
            throw new PatchbayException.Conflict(Integer.parseInt(answer.getOrDefault("code", "20500")), answer.getOrDefault("message", "refused"));
        }
    }

    private static PatchbayException unreachable(String nodeId, String callSid) {
        return new PatchbayException.Conflict(20409, "Call " + callSid + " is owned by node " + nodeId + ", which did not answer");
    }

    private static void answer(Connection nats, CallControl control, Message message) {
        Map<String, String> form = decode(new String(message.getData(), StandardCharsets.UTF_8));
        Map<String, String> reply = new LinkedHashMap<>();
        try {
            CallControl.Change change = switch (form.getOrDefault("change", "")) {
                case "redirect" -> new CallControl.Change.Redirect(form.get("url"), HttpMethod.valueOf(form.getOrDefault("method", "POST")));
                case "twiml" -> new CallControl.Change.Twiml(TwimlParser.parse(form.get("twiml")), form.get("twiml"));
                case "completed" -> new CallControl.Change.Complete();
                case "canceled" -> new CallControl.Change.Cancel();
                default -> throw new PatchbayException.InvalidParameter(20001, "unknown change " + form.get("change"));
            };
            // Applying can wait a little (a hang-up waits for the call to record its end): not on NATS's thread.
            Thread.ofVirtual().start(() -> {
                Map<String, String> r = new LinkedHashMap<>();
                try {
                    control.applyForwarded(form.get("account"), form.get("call"), change);
                    r.put("status", "ok");
                } catch (PatchbayException e) {
                    r.put("status", "refused");
                    r.put("code", Integer.toString(e.code()));
                    r.put("message", e.getMessage());
                }
                nats.publish(message.getReplyTo(), encode(r).getBytes(StandardCharsets.UTF_8));
            });
            return;
        } catch (PatchbayException e) {
            reply.put("status", "refused");
            reply.put("code", Integer.toString(e.code()));
            reply.put("message", e.getMessage());
        } catch (RuntimeException e) {
            reply.put("status", "refused");
            reply.put("code", "20001");
            reply.put("message", "malformed request: " + e.getMessage());
        }
        nats.publish(message.getReplyTo(), encode(reply).getBytes(StandardCharsets.UTF_8));
    }

    private static String encode(Map<String, String> form) {
        StringBuilder out = new StringBuilder();
        form.forEach((k, v) -> out.append(out.isEmpty() ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return out.toString();
    }

    private static Map<String, String> decode(String text) {
        Map<String, String> form = new LinkedHashMap<>();
        for (String pair : text.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                form.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
            }
        }
        return form;
    }

    @Override
    public void close() {
        try {
            nats.closeDispatcher(dispatcher);
            nats.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
