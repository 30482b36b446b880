package dev.patchbay.config;

/** An inclusive range of UDP ports, written {@code 20000-29999}. */
public record PortRange(int first, int last) {

    public PortRange {
        if (first < 1 || last > 65535 || first > last) {
            throw new ConfigException("port range " + first + "-" + last + " is not within 1-65535 or is reversed");
        }
    }

    public static PortRange parse(String text) {
        String[] parts = text.trim().split("-");
        try {
            if (parts.length != 2) {
                throw new NumberFormatException();
            }
            return new PortRange(Integer.parseInt(parts[0].trim()), Integer.parseInt(parts[1].trim()));
        } catch (NumberFormatException e) {
            throw new ConfigException("'" + text + "' is not a port range such as 20000-29999");
        }
    }

    public int size() {
        return last - first + 1;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
