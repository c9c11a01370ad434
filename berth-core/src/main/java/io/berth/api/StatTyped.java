package io.berth.api;

import java.util.List;
import java.util.Map;

/**
 * The {@code typed} and {@code json} forms of {@code show stat} and {@code show info}, from the same rows and
 * fields as the CSV and the plain list: one {@code F.<iid>.<sid>.<pos>.<name>.1:<tags>:<type>:<value>} line per
 * non-empty field (B for backends, S for servers), or HAProxy's JSON objects ({@code objType}, {@code proxyId},
 * {@code id}, {@code field}, {@code processNum}, {@code tags}, {@code value}). Positions past the core fields
 * skip the CSV's {@code -} separator column, as HAProxy numbers them. Tags come from {@link StatTypes}.
 * Stateless.
 */
final class StatTyped {
    /** Index of the CSV's {@code -} column, after HAProxy's core fields. */
    private static final int SEPARATOR = 103;

    private StatTyped() {
    }

    static String stat(List<String[]> rows, boolean json) {
        StringBuilder out = new StringBuilder(json ? "[" : "");
        boolean firstRow = true;
        for (String[] row : rows) {
            String type = StatCsv.value(row, "type");
            List<String> tags = switch (type) {
                case "0" -> StatTypes.FRONTEND;
                case "1" -> StatTypes.BACKEND;
                default -> StatTypes.SERVER;
            };
            String letter = switch (type) {
                case "0" -> "F";
                case "1" -> "B";
                default -> "S";
            };
            String objType = switch (type) {
                case "0" -> "Frontend";
                case "1" -> "Backend";
                default -> "Server";
            };
            String iid = StatCsv.value(row, "iid");
            String sid = StatCsv.value(row, "sid");
            if (json) {
                out.append(firstRow ? "[" : ",[");
            }
            firstRow = false;
            boolean firstField = true;
            for (int i = 0; i < row.length; i++) {
                if (i == SEPARATOR || row[i].isEmpty()) {
                    continue;
                }
                int pos = i > SEPARATOR ? i - 1 : i;
                String tag = tag(tags, pos);
                String name = StatCsv.COLUMNS.get(i);
                if (json) {
                    out.append(firstField ? "" : ",").append("{\"objType\":\"").append(objType)
                            .append("\",\"proxyId\":").append(iid).append(",\"id\":").append(sid)
                            .append(",\"field\":{\"pos\":").append(pos).append(",\"name\":\"").append(name)
                            .append("\"},\"processNum\":1,");
                    jsonTagsAndValue(out, tag, row[i]);
                    out.append('}');
                } else {
                    out.append(letter).append('.').append(iid).append('.').append(sid).append('.').append(pos)
                            .append('.').append(name).append(".1:").append(tag).append(':').append(row[i])
                            .append('\n');
                }
                firstField = false;
            }
            if (json) {
                out.append(']');
            }
        }
        return json ? out.append("]\n").toString() : out.toString();
    }

    static String info(Map<String, String> fields, boolean json) {
        StringBuilder out = new StringBuilder(json ? "[" : "");
        int pos = 0;
        boolean first = true;
        for (Map.Entry<String, String> f : fields.entrySet()) {
            String tag = "POS:str";
            for (String t : StatTypes.INFO) {
                if (t.startsWith(f.getKey() + "=")) {
                    String rest = t.substring(f.getKey().length() + 1);
                    pos = Integer.parseInt(rest.substring(0, rest.indexOf(':')));
                    tag = rest.substring(rest.indexOf(':') + 1);
                    break;
                }
            }
            if (f.getValue().isEmpty()) {
                pos++;
                continue;
            }
            if (json) {
                out.append(first ? "" : ",").append("{\"field\":{\"pos\":").append(pos).append(",\"name\":\"")
                        .append(escape(f.getKey())).append("\"},\"processNum\":1,");
                jsonTagsAndValue(out, tag, f.getValue());
                out.append('}');
            } else {
                out.append(pos).append('.').append(f.getKey()).append(".1:").append(tag).append(':')
                        .append(f.getValue()).append('\n');
            }
            first = false;
            pos++;
        }
        return json ? out.append("]\n").toString() : out.toString();
    }

    /** The field's tags, or those of the same position in another object type, or a plain string. */
    private static String tag(List<String> tags, int pos) {
        if (pos < tags.size() && !tags.get(pos).isEmpty()) {
            return tags.get(pos);
        }
        for (List<String> other : List.of(StatTypes.SERVER, StatTypes.BACKEND, StatTypes.FRONTEND)) {
            if (pos < other.size() && !other.get(pos).isEmpty()) {
                return other.get(pos);
            }
        }
        return "MGP:str";
    }

    private static void jsonTagsAndValue(StringBuilder out, String tag, String value) {
        String letters = tag.substring(0, tag.indexOf(':'));
        String type = tag.substring(tag.indexOf(':') + 1);
        out.append("\"tags\":{\"origin\":\"").append(origin(letters.charAt(0))).append("\",\"nature\":\"")
                .append(nature(letters.charAt(1))).append("\",\"scope\":\"").append(scope(letters.charAt(2)))
                .append("\"},\"value\":{\"type\":\"").append(type).append("\",\"value\":");
        if (type.equals("str")) {
            out.append('"').append(escape(value)).append('"');
        } else {
            out.append(value);
        }
        out.append('}');
    }

    private static String origin(char c) {
        return switch (c) {
            case 'M' -> "Metric";
            case 'S' -> "Status";
            case 'K' -> "Key";
            case 'C' -> "Config";
            default -> "Product";
        };
    }

    private static String nature(char c) {
        return switch (c) {
            case 'A' -> "Age";
            case 'a' -> "Avg";
            case 'C' -> "Counter";
            case 'D' -> "Duration";
            case 'G' -> "Gauge";
            case 'L' -> "Limit";
            case 'M' -> "Max";
            case 'm' -> "Min";
            case 'N' -> "Name";
            case 'R' -> "Rate";
            case 'T' -> "Time";
            default -> "Output";
        };
    }

    private static String scope(char c) {
        return switch (c) {
            case 'P' -> "Process";
            case 's' -> "System";
            case 'C' -> "Cluster";
            default -> "Service";
        };
    }

    private static String escape(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
