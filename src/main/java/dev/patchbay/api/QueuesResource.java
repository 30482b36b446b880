package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.call.CallRouter;
import dev.patchbay.call.Queues;
import dev.patchbay.number.HttpMethod;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.util.Map;
import java.util.Optional;

/**
 * Twilio's Queues and their Members: {@code .../Queues.json} (FriendlyName, MaxSize),
 * {@code .../Queues/{Sid}.json}, {@code .../Queues/{Sid}/Members.json}, and
 * {@code .../Members/{CallSid|Front}.json}, whose POST with {@code Url} takes that caller out of
 * the queue to run the document at Url (on the node that owns the call).
 */
final class QueuesResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Queues";

    private final AccountsResource accounts;
    private final Queues queues;
    private final CallRouter router;

    QueuesResource(AccountsResource accounts, Queues queues, CallRouter router) {
        this.accounts = accounts;
        this.queues = queues;
        this.router = router;
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            ctx.json(Json.object().put("queues", queues.list(owner.sid()).stream().map(QueuesResource::queue).toList())
                    .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Queues.json").map());
        });
        r.post(PATH + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            String name = form.text("FriendlyName", 64).filter(n -> !n.isBlank()).orElseThrow(() -> PatchbayException.InvalidParameter.missing("FriendlyName"));
            ctx.status(201).json(queue(queues.create(owner.sid(), name.trim(), form.integer("MaxSize", 100, 1, 5000))));
        });
        r.get(PATH + "/{file}", ctx -> ctx.json(queue(queues.require(accounts.owner(ctx).sid(), Resources.sid(ctx)))));
        r.post(PATH + "/{file}", ctx -> {
            Form form = Form.of(ctx);
            Optional<Integer> maxSize = form.optional("MaxSize").map(v -> form.integer("MaxSize", 100, 1, 5000));
            ctx.json(queue(queues.update(accounts.owner(ctx).sid(), Resources.sid(ctx), form.text("FriendlyName", 64), maxSize)));
        });
        r.delete(PATH + "/{file}", ctx -> {
            queues.delete(accounts.owner(ctx).sid(), Resources.sid(ctx));
            ctx.status(204);
        });
        r.get(PATH + "/{QueueSid}/Members.json", ctx -> {
            Account owner = accounts.owner(ctx);
            String queueSid = ctx.pathParam("QueueSid");
            ctx.json(Json.object().put("queue_members", queues.members(owner.sid(), queueSid).stream().map(w -> member(owner, w)).toList())
                    .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Queues/" + queueSid + "/Members.json").map());
        });
        r.get(PATH + "/{QueueSid}/Members/{file}", ctx -> ctx.json(member(accounts.owner(ctx), find(ctx))));
        r.post(PATH + "/{QueueSid}/Members/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            Queues.Waiting waiting = find(ctx);
            Form form = Form.of(ctx);
            String url = form.url("Url").flatMap(u -> u).orElseThrow(() -> PatchbayException.InvalidParameter.missing("Url"));
            if (!router.dequeue(waiting.queueSid(), waiting.callSid(), url, form.method("Method").orElse(HttpMethod.POST))) {
                throw new PatchbayException.Conflict(20409, "Call " + waiting.callSid() + " waits on another node; dequeue it there");
            }
            ctx.json(member(owner, waiting));
        });
    }

    private Queues.Waiting find(Context ctx) {
        Account owner = accounts.owner(ctx);
        String queueSid = ctx.pathParam("QueueSid");
        String who = Resources.sid(ctx);
        var line = queues.members(owner.sid(), queueSid);
        return (who.equals("Front") ? line.stream().findFirst() : line.stream().filter(w -> w.callSid().equals(who)).findFirst())
                .orElseThrow(() -> new PatchbayException.NotFound("/Queues/" + queueSid + "/Members/" + who));
    }

    private static Map<String, Object> queue(Queues.Queue q) {
        String uri = "/2010-04-01/Accounts/" + q.accountSid() + "/Queues/" + q.sid();
        return Json.object()
                .put("sid", q.sid())
                .put("account_sid", q.accountSid())
                .put("friendly_name", q.friendlyName())
                .put("current_size", q.currentSize())
                .put("max_size", q.maxSize())
                .put("average_wait_time", q.averageWaitTime())
                .put("date_created", Json.date(q.dateCreated()))
                .put("date_updated", Json.date(q.dateUpdated()))
                .put("uri", uri + ".json")
                .put("subresource_uris", Map.of("members", uri + "/Members.json"))
                .map();
    }

    private static Map<String, Object> member(Account owner, Queues.Waiting w) {
        return Json.object()
                .put("call_sid", w.callSid())
                .put("queue_sid", w.queueSid())
                .put("date_enqueued", Json.date(w.dateEnqueued()))
                .put("position", w.position())
                .put("wait_time", w.waitTime())
                .put("uri", "/2010-04-01/Accounts/" + owner.sid() + "/Queues/" + w.queueSid() + "/Members/" + w.callSid() + ".json")
                .map();
    }
}
