package io.berth.api;

import io.berth.runtime.Runtime;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code show table} lists entries in HAProxy's key-tree order. Golden orders from HAProxy 2.6 after
 * {@code set table} of the same keys in the order given here: integer keys compare by their little-endian bytes,
 * strings and addresses by their bytes.
 */
class TableOrderTest {
    static final String CONFIG = """
            backend bi
                stick-table type integer size 10 store server_id
            backend bs
                stick-table type string len 8 size 10 store server_id
            backend bp
                stick-table type ip size 10 store server_id
            """;

    private static String keys(Runtime rt, String table, String... keys) {
        CliSession cli = new CliSession(ApiCommands.registry(), new ApiContext(rt, Map.of()), CliLevel.ADMIN);
        for (String k : keys) {
            // HAProxy answers an empty line
            assertThat(cli.onLine("set table " + table + " key " + k + " data.server_id 1")).isEqualTo("\n");
        }
        StringBuilder order = new StringBuilder();
        for (String line : cli.onLine("show table " + table).split("\n")) {
            if (line.startsWith("0x")) {
                order.append(line.replaceFirst(".*key=(\\S+).*", "$1")).append(' ');
            }
        }
        return order.toString().trim();
    }

    @Test
    void entriesComeInHaproxysKeyOrder() throws Exception {
        Runtime rt = ApiCommandsTest.build(CONFIG);
        assertThat(keys(rt, "bi", "1", "256", "2", "65536")).isEqualTo("65536 256 1 2");
        assertThat(keys(rt, "bs", "b", "ab", "a", "abc", "B")).isEqualTo("B a ab abc b");
        assertThat(keys(rt, "bp", "10.0.0.1", "9.0.0.1", "10.0.0.0", "192.168.0.1"))
                .isEqualTo("9.0.0.1 10.0.0.0 10.0.0.1 192.168.0.1");
    }
}
