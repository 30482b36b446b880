package dev.patchbay.call;

import java.util.Locale;

/**
 * The seed's operational modes: who is in control of a call. Basic: a bridge between two
 * endpoints (cheapest); application: instructions fetched from an app; service: provided logic.
 */
public enum Mode {
    BASIC, APPLICATION, SERVICE;

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Mode parse(String wire) {
        return valueOf(wire.toUpperCase(Locale.ROOT));
    }
}
