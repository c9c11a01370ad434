package io.berth.config;

/**
 * HAProxy's number formats: time values ({@code 10}, {@code 500ms}, {@code 2s}, {@code 1m}, {@code 1h},
 * {@code 1d}, {@code 100us}; no unit = milliseconds) and sizes ({@code 100}, {@code 100k}, {@code 1m}, {@code 1g};
 * ×1024). Errors are worded as HAProxy's {@code parse_time_err()} callers word them. Stateless.
 */
public final class Units {
    private Units() {
    }

    /**
     * Milliseconds in {@code text} ({@code us} values are rounded up to whole milliseconds as HAProxy does when
     * the unit is ms). Returns the value; throws {@link IllegalArgumentException} whose message is the
     * offending character (e.g. {@code "x"}) when a character is unexpected, or "" for an empty value.
     */
    public static long timeMs(String text) {
        if (text.isEmpty() || !Character.isDigit(text.charAt(0))) {
            throw new IllegalArgumentException(text.isEmpty() ? "" : text.substring(0, 1));
        }
        int i = 0;
        long value = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i) - '0');
            if (value > Integer.MAX_VALUE) {
                throw new ArithmeticException("overflow");
            }
            i++;
        }
        String unit = text.substring(i);
        return switch (unit) {
            case "", "ms" -> value;
            case "us" -> (value + 999) / 1000;
            case "s" -> value * 1000;
            case "m" -> value * 60_000;
            case "h" -> value * 3_600_000;
            case "d" -> value * 86_400_000;
            default -> throw new IllegalArgumentException(unexpected(unit));
        };
    }

    /**
     * The time value of a keyword, or {@link ConfigException} worded as HAProxy:
     * {@code unexpected character 'x' in 'timeout server'}.
     */
    public static long timeMs(String text, String keyword) {
        try {
            return timeMs(text);
        } catch (ArithmeticException e) {
            throw new ConfigException("timer overflow in argument '" + text + "' to '" + keyword
                    + "' (maximum value is 2147483647 ms or ~24.8 days)");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("unexpected character '" + e.getMessage() + "' in '" + keyword + "'");
        }
    }

    /** Bytes in a size ({@code 16k} = 16384); IllegalArgumentException naming the bad character. */
    public static long size(String text) {
        int i = 0;
        long value = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i))) {
            value = value * 10 + (text.charAt(i) - '0');
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException(text.isEmpty() ? "" : text.substring(0, 1));
        }
        String unit = text.substring(i).toLowerCase();
        return switch (unit) {
            case "" -> value;
            case "k" -> value * 1024;
            case "m" -> value * 1024 * 1024;
            case "g" -> value * 1024 * 1024 * 1024;
            default -> throw new IllegalArgumentException(unit.substring(0, 1));
        };
    }

    /**
     * HAProxy reads most counts with {@code atol()}: leading digits, anything else ignored, no digits = 0 (so
     * {@code retries x} is 0, and {@code -c} accepts it). Berth keeps that leniency for compatibility.
     */
    public static int atoi(String text) {
        int i = 0;
        boolean negative = false;
        if (!text.isEmpty() && (text.charAt(0) == '-' || text.charAt(0) == '+')) {
            negative = text.charAt(0) == '-';
            i++;
        }
        long value = 0;
        while (i < text.length() && Character.isDigit(text.charAt(i)) && value <= Integer.MAX_VALUE) {
            value = value * 10 + (text.charAt(i) - '0');
            i++;
        }
        value = Math.min(value, Integer.MAX_VALUE);
        return (int) (negative ? -value : value);
    }

    /** True when {@code text} is a non-empty run of digits. */
    public static boolean isDigits(String text) {
        return !text.isEmpty() && text.chars().allMatch(Character::isDigit);
    }

    private static String unexpected(String unit) {
        // HAProxy reports the first character it cannot take as (part of) a unit: "10x" -> 'x', "1sx" -> 'x'
        for (String known : new String[] {"ms", "us", "s", "m", "h", "d"}) {
            if (unit.startsWith(known) && unit.length() > known.length()) {
                return unit.substring(known.length(), known.length() + 1);
            }
        }
        return unit.substring(0, 1);
    }
}
