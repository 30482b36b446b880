package dev.patchbay.api;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.account.Accounts;
import dev.patchbay.call.Recording;
import dev.patchbay.call.Recordings;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.Optional;
import java.util.regex.Pattern;

/** {@code /Recordings}: metadata as JSON, audio as {@code .wav}, and delete. */
final class RecordingsResource {

    private static final String PATH = Renderers.BASE + "/{AccountSid}/Recordings";
    private static final Pattern PUBLIC_MEDIA = Pattern.compile("/2010-04-01/Accounts/AC[0-9a-f]{32}/Recordings/RE[0-9a-f]{32}(\\.wav)?");

    private final AccountsResource accounts;
    private final Recordings recordings;
    private final Accounts accountStore;

    RecordingsResource(AccountsResource accounts, Recordings recordings, Accounts accountStore) {
        this.accounts = accounts;
        this.recordings = recordings;
        this.accountStore = accountStore;
    }

    /** The audio URL (with or without {@code .wav}) needs no credentials, as Twilio's RecordingUrl. */
    static boolean isPublicMedia(Context ctx) {
        return ctx.method().name().equals("GET") && PUBLIC_MEDIA.matcher(ctx.path()).matches();
    }

    void routes(RoutesConfig r) {
        r.get(PATH + ".json", ctx -> {
            Account owner = accounts.owner(ctx);
            Form form = Form.of(ctx);
            Paging.Request paging = Paging.Request.from(form);
            ctx.json(Paging.envelope("recordings", recordings.list(owner.sid(), form.optional("CallSid"), paging.page(), paging.pageSize()),
                    Renderers::recording, Renderers.BASE + "/" + owner.sid() + "/Recordings.json", form.query("CallSid")));
        });
        r.get(PATH + "/{file}", this::fetch);
        r.delete(PATH + "/{file}", ctx -> {
            Account owner = accounts.owner(ctx);
            String sid = Resources.sid(ctx);
            if (!recordings.delete(owner.sid(), sid)) {
                throw new PatchbayException.NotFound("/Recordings/" + sid);
            }
            ctx.status(204);
        });
    }

    private void fetch(Context ctx) {
        String file = ctx.pathParam("file");
        if (file.endsWith(".json")) {
            Account owner = accounts.owner(ctx);
            ctx.json(Renderers.recording(require(owner.sid(), Resources.sid(ctx))));
            return;
        }
        // Audio: by SID within the account named in the path, without credentials.
        String accountSid = ctx.pathParam("AccountSid");
        String sid = file.endsWith(".wav") ? file.substring(0, file.length() - 4) : file;
        Optional<Account> account = accountStore.find(accountSid);
        Recording recording = account.flatMap(a -> recordings.find(a.sid(), sid))
                .orElseThrow(() -> new PatchbayException.NotFound("/Recordings/" + file));
        try {
            ctx.contentType("audio/x-wav").result(Files.readAllBytes(recordings.file(recording)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Recording require(String accountSid, String sid) {
        return recordings.find(accountSid, sid).orElseThrow(() -> new PatchbayException.NotFound("/Recordings/" + sid));
    }
}
