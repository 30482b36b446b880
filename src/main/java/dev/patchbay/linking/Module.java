package dev.patchbay.linking;

import dev.patchbay.PatchbayException;
import dev.patchbay.number.HttpMethod;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * A module: a piece of a telephony application, written by a developer (the owner account) and
 * used by any account allowed to. Links name it by SID or by its alias ({@code acme/simulring}),
 * never by URL, so changing the inlet URL breaks nothing.
 */
public record Module(
        String sid,
        String accountSid,
        String uniqueName,
        String friendlyName,
        String description,
        Kind kind,
        Optional<String> inletUrl,
        HttpMethod inletMethod,
        Optional<String> fallbackUrl,
        Optional<String> eventsUrl,
        List<Parameter> parameters,
        List<String> outlets,
        Optional<String> usagePlanSid,
        Visibility visibility,
        boolean banned,
        Instant dateCreated,
        Instant dateUpdated) {

    /** What runs while the module is in control: instructions from its inlet, provided logic, or the bridge. */
    public enum Kind {
        APPLICATION, SERVICE, BRIDGE;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Kind parse(String name, String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "application" -> APPLICATION;
                case "service" -> SERVICE;
                case "bridge" -> BRIDGE;
                default -> throw PatchbayException.InvalidParameter.invalid(name, value, "application, service or bridge");
            };
        }
    }

    /** Who sees the module: its owner only; anyone who knows its SID or alias; everyone in the marketplace. */
    public enum Visibility {
        PRIVATE, UNLISTED, PUBLISHED;

        public String wire() {
            return name().toLowerCase(Locale.ROOT);
        }

        public static Visibility parse(String value) {
            return switch (value.trim().toLowerCase(Locale.ROOT)) {
                case "private" -> PRIVATE;
                case "unlisted" -> UNLISTED;
                case "published" -> PUBLISHED;
                default -> throw PatchbayException.InvalidParameter.invalid("Visibility", value, "private, unlisted or published");
            };
        }
    }

    /** A declared parameter; {@code type} is one of {@link Parameters#TYPES}. */
    public record Parameter(String name, String type, boolean required, Optional<String> defaultValue) {
    }

    /** The namespace part of the alias: {@code acme} in {@code acme/simulring}. */
    public String namespace() {
        return uniqueName.substring(0, uniqueName.indexOf('/'));
    }

    public boolean hasOutlet(String name) {
        return outlets.contains(name);
    }

    /** Whether {@code accountSid} may use the module without installing it. */
    public boolean ownedBy(String account) {
        return accountSid.equals(account);
    }

    /** Whether {@code account} may name the module at all: its own, or another's that is not private. */
    public boolean visibleTo(String account) {
        return ownedBy(account) || visibility != Visibility.PRIVATE;
    }

    /** The fields a developer sets, as they stand. */
    public Spec spec() {
        return new Spec(uniqueName, friendlyName, description, kind, inletUrl, inletMethod, fallbackUrl, eventsUrl, parameters, outlets,
                usagePlanSid, visibility);
    }

    /** What a developer gives to create or change a module. */
    public record Spec(String uniqueName, String friendlyName, String description, Kind kind, Optional<String> inletUrl,
                       HttpMethod inletMethod, Optional<String> fallbackUrl, Optional<String> eventsUrl, List<Parameter> parameters,
                       List<String> outlets, Optional<String> usagePlanSid, Visibility visibility) {
    }
}
