package dev.patchbay.number;

import dev.patchbay.PatchbayException;
import dev.patchbay.account.Account;
import dev.patchbay.store.Database;
import dev.patchbay.store.Page;
import dev.patchbay.store.Sids;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * IncomingPhoneNumbers: the addresses an account owns and where their calls go. Shared by the
 * REST API, the CLI and the SIP edge (which looks numbers up by address). Thread-safe.
 */
public final class Numbers {

    private static final String COLUMNS = "sid, account_sid, phone_number, friendly_name, voice_url, voice_method, "
            + "voice_fallback_url, voice_fallback_method, status_callback, status_callback_method, status_callback_events, "
            + "voice_application_sid, voice_module_sid, voice_flow_sid, voice_endpoint, date_created, date_updated, voice_endpoint_hangup_url, max_price";

    private final Database db;
    private final Clock clock;

    public Numbers(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Adds a number to the account; {@code draft} carries everything but the identity and dates. */
    public IncomingNumber create(Account owner, String phoneNumber, UnaryOperator<IncomingNumber> draft) {
        String normalized = PhoneNumbers.normalize(phoneNumber);
        Instant now = clock.instant();
        IncomingNumber blank = new IncomingNumber(Sids.next("PN"), owner.sid(), normalized, normalized, VoiceSettings.NONE,
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), now, now);
        IncomingNumber number = draft.apply(blank);
        return db.inTransaction(h -> {
            validate(h, number);
            if (h.createQuery("SELECT count(*) FROM incoming_phone_numbers WHERE phone_number = ?")
                    .bind(0, normalized).mapTo(Long.class).one() > 0) {
                throw new PatchbayException.Conflict(21422, "PhoneNumber " + normalized + " is not available: it is already in use");
            }
            bindAll(h.createUpdate("INSERT INTO incoming_phone_numbers (" + COLUMNS + ") VALUES ("
                    + "?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"), number).execute();
            return number;
        });
    }

    public Optional<IncomingNumber> find(Account owner, String sid) {
        return db.read(h -> h.createQuery("SELECT " + COLUMNS + " FROM incoming_phone_numbers WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> map(rs)).findOne());
    }

    public IncomingNumber require(Account owner, String sid) {
        return find(owner, sid).orElseThrow(() -> new PatchbayException.NotFound("/IncomingPhoneNumbers/" + sid));
    }

    /** The number a call to this address reaches, whoever owns it (the SIP edge's lookup). */
    public Optional<IncomingNumber> findByAddress(List<String> candidates) {
        return db.read(h -> {
            for (String candidate : candidates) {
                Optional<IncomingNumber> hit = h.createQuery("SELECT " + COLUMNS + " FROM incoming_phone_numbers WHERE phone_number = ?")
                        .bind(0, candidate).map((rs, ctx) -> map(rs)).findOne();
                if (hit.isPresent()) {
                    return hit;
                }
            }
            return Optional.empty();
        });
    }

    /** The account's numbers, oldest first; {@code phoneNumber} matches any part, {@code friendlyName} exactly. */
    public Page<IncomingNumber> list(Account owner, Optional<String> phoneNumber, Optional<String> friendlyName,
                                     int page, int pageSize) {
        String where = " FROM incoming_phone_numbers WHERE account_sid = :account"
                + (phoneNumber.isPresent() ? " AND phone_number LIKE :number ESCAPE '!'" : "")
                + (friendlyName.isPresent() ? " AND friendly_name = :name" : "");
        return db.read(h -> Page.of(h.createQuery("SELECT " + COLUMNS + where + " ORDER BY date_created, sid LIMIT :limit OFFSET :offset")
                .bind("account", owner.sid())
                .bind("number", phoneNumber.map(n -> "%" + n.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%").orElse(null))
                .bind("name", friendlyName.orElse(null))
                .bind("limit", pageSize + 1).bind("offset", (long) page * pageSize)
                .map((rs, ctx) -> map(rs)).list(), page, pageSize));
    }

    /** Applies a change to one number of the account, in one transaction. */
    public IncomingNumber update(Account owner, String sid, UnaryOperator<IncomingNumber> change) {
        return db.inTransaction(h -> {
            IncomingNumber current = h.createQuery("SELECT " + COLUMNS + " FROM incoming_phone_numbers WHERE sid = ? AND account_sid = ? FOR UPDATE")
                    .bind(0, sid).bind(1, owner.sid()).map((rs, ctx) -> map(rs)).findOne()
                    .orElseThrow(() -> new PatchbayException.NotFound("/IncomingPhoneNumbers/" + sid));
            IncomingNumber changed = change.apply(current);
            IncomingNumber updated = new IncomingNumber(current.sid(), current.accountSid(), current.phoneNumber(),
                    changed.friendlyName(), changed.voice(), changed.voiceApplicationSid(), changed.voiceModuleSid(),
                    changed.voiceFlowSid(), changed.voiceEndpoint(), changed.voiceEndpointHangupUrl(), changed.maxPrice(), current.dateCreated(), clock.instant());
            validate(h, updated);
            h.createUpdate("UPDATE incoming_phone_numbers SET friendly_name = ?, voice_url = ?, voice_method = ?, "
                            + "voice_fallback_url = ?, voice_fallback_method = ?, status_callback = ?, status_callback_method = ?, "
                            + "voice_application_sid = ?, voice_module_sid = ?, voice_flow_sid = ?, voice_endpoint = ?, date_updated = ?, "
                            + "status_callback_events = ?, voice_endpoint_hangup_url = ?, max_price = ? WHERE sid = ?")
                    .bind(0, updated.friendlyName())
                    .bind(1, updated.voice().url().orElse(null)).bind(2, updated.voice().method().name())
                    .bind(3, updated.voice().fallbackUrl().orElse(null)).bind(4, updated.voice().fallbackMethod().name())
                    .bind(5, updated.voice().statusCallback().orElse(null)).bind(6, updated.voice().statusCallbackMethod().name())
                    .bind(7, updated.voiceApplicationSid().orElse(null)).bind(8, updated.voiceModuleSid().orElse(null))
                    .bind(9, updated.voiceFlowSid().orElse(null)).bind(10, updated.voiceEndpoint().orElse(null))
                    .bind(11, updated.dateUpdated().toEpochMilli())
                    .bind(12, VoiceSettings.CallEvent.store(updated.voice().statusCallbackEvents()))
                    .bind(13, updated.voiceEndpointHangupUrl().orElse(null)).bind(14, updated.maxPrice().orElse(null)).bind(15, sid)
                    .execute();
            return updated;
        });
    }

    public void delete(Account owner, String sid) {
        int deleted = db.inTransaction(h -> h.createUpdate("DELETE FROM incoming_phone_numbers WHERE sid = ? AND account_sid = ?")
                .bind(0, sid).bind(1, owner.sid()).execute());
        if (deleted == 0) {
            throw new PatchbayException.NotFound("/IncomingPhoneNumbers/" + sid);
        }
    }

    private static void validate(Handle h, IncomingNumber n) {
        n.voiceApplicationSid().ifPresent(app -> {
            boolean owned = h.createQuery("SELECT count(*) FROM applications WHERE sid = ? AND account_sid = ?")
                    .bind(0, app).bind(1, n.accountSid()).mapTo(Long.class).one() > 0;
            if (!owned) {
                throw new PatchbayException.InvalidParameter(21606, "VoiceApplicationSid " + app + " is not an application of this account");
            }
        });
        n.voiceModuleSid().filter(s -> !Sids.looksLike("MD", s)).ifPresent(s -> {
            throw PatchbayException.InvalidParameter.invalid("VoiceModuleSid", s, "a module SID (MD + 32 hex digits)");
        });
        n.voiceFlowSid().filter(s -> !Sids.looksLike("FW", s)).ifPresent(s -> {
            throw PatchbayException.InvalidParameter.invalid("VoiceFlowSid", s, "a flow SID (FW + 32 hex digits)");
        });
        n.voiceModuleSid().ifPresent(module -> {
            boolean usable = h.createQuery("SELECT count(*) FROM modules m WHERE m.sid = ? AND (m.account_sid = ? OR EXISTS "
                            + "(SELECT 1 FROM installations i WHERE i.module_sid = m.sid AND i.account_sid = ? AND i.status = 'active'))")
                    .bind(0, module).bind(1, n.accountSid()).bind(2, n.accountSid()).mapTo(Long.class).one() > 0;
            if (!usable) {
                throw new PatchbayException.InvalidParameter(20001, "VoiceModuleSid " + module + " is not a module this account owns or has installed");
            }
        });
        n.voiceFlowSid().ifPresent(flow -> {
            boolean owned = h.createQuery("SELECT count(*) FROM flows WHERE sid = ? AND account_sid = ?")
                    .bind(0, flow).bind(1, n.accountSid()).mapTo(Long.class).one() > 0;
            if (!owned) {
                throw new PatchbayException.InvalidParameter(20001, "VoiceFlowSid " + flow + " is not a flow of this account");
            }
        });
        n.voiceEndpoint().ifPresent(Numbers::validateEndpoint);
        n.voiceEndpointHangupUrl().filter(u -> !u.matches("(?i)https?://\\S+")).ifPresent(u -> {
            throw PatchbayException.InvalidParameter.invalid("VoiceEndpointHangupUrl", u, "an http(s) URL");
        });
        if (n.voiceEndpointHangupUrl().isPresent() && n.voiceEndpoint().isEmpty()) {
            throw new PatchbayException.InvalidParameter(20001, "VoiceEndpointHangupUrl needs a VoiceEndpoint");
        }
        long targets = Stream.of(n.voice().url(), n.voiceModuleSid(), n.voiceFlowSid(), n.voiceEndpoint())
                .filter(Optional::isPresent).count();
        if (targets > 1) {
            throw new PatchbayException.InvalidParameter(20001,
                    "VoiceUrl, VoiceModuleSid, VoiceFlowSid and VoiceEndpoint are mutually exclusive; give one routing target");
        }
    }

    private static void validateEndpoint(String endpoint) {
        boolean sip = endpoint.regionMatches(true, 0, "sip:", 0, 4) && endpoint.length() > 4;
        if (!sip && !PhoneNumbers.isE164(endpoint)) {
            throw PatchbayException.InvalidParameter.invalid("VoiceEndpoint", endpoint, "a SIP URI or an E.164 number");
        }
    }

    private static Update bindAll(Update u, IncomingNumber n) {
        return u.bind(0, n.sid()).bind(1, n.accountSid()).bind(2, n.phoneNumber()).bind(3, n.friendlyName())
                .bind(4, n.voice().url().orElse(null)).bind(5, n.voice().method().name())
                .bind(6, n.voice().fallbackUrl().orElse(null)).bind(7, n.voice().fallbackMethod().name())
                .bind(8, n.voice().statusCallback().orElse(null)).bind(9, n.voice().statusCallbackMethod().name())
                .bind(10, VoiceSettings.CallEvent.store(n.voice().statusCallbackEvents()))
                .bind(11, n.voiceApplicationSid().orElse(null)).bind(12, n.voiceModuleSid().orElse(null))
                .bind(13, n.voiceFlowSid().orElse(null)).bind(14, n.voiceEndpoint().orElse(null))
                .bind(15, n.dateCreated().toEpochMilli()).bind(16, n.dateUpdated().toEpochMilli())
                .bind(17, n.voiceEndpointHangupUrl().orElse(null)).bind(18, n.maxPrice().orElse(null));
    }

    private static IncomingNumber map(ResultSet rs) throws SQLException {
        VoiceSettings voice = new VoiceSettings(Optional.ofNullable(rs.getString(5)), HttpMethod.valueOf(rs.getString(6)),
                Optional.ofNullable(rs.getString(7)), HttpMethod.valueOf(rs.getString(8)),
                Optional.ofNullable(rs.getString(9)), HttpMethod.valueOf(rs.getString(10)),
                VoiceSettings.CallEvent.load(rs.getString(11)));
        return new IncomingNumber(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), voice,
                Optional.ofNullable(rs.getString(12)), Optional.ofNullable(rs.getString(13)),
                Optional.ofNullable(rs.getString(14)), Optional.ofNullable(rs.getString(15)), Optional.ofNullable(rs.getString(18)),
                Optional.ofNullable(rs.getBigDecimal(19)),
                Instant.ofEpochMilli(rs.getLong(16)), Instant.ofEpochMilli(rs.getLong(17)));
    }
}
