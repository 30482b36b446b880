package dev.patchbay.api;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Builds Twilio-shaped JSON objects in field order, with nulls kept (Twilio shows absent values as null). */
final class Json {

    /** Twilio's RFC 2822 dates: {@code Wed, 18 Aug 2010 20:01:20 +0000}. */
    private static final DateTimeFormatter RFC_2822 =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss Z", Locale.US).withZone(ZoneOffset.UTC);

    private final Map<String, Object> fields = new LinkedHashMap<>();

    static Json object() {
        return new Json();
    }

    Json put(String name, Object value) {
        fields.put(name, value instanceof Optional<?> o ? o.orElse(null) : value);
        return this;
    }

    Map<String, Object> map() {
        return fields;
    }

    static String date(Instant instant) {
        return RFC_2822.format(instant);
    }

    static String date(Optional<Instant> instant) {
        return instant.map(Json::date).orElse(null);
    }
}
