package io.berth.proxy.http;

import io.berth.persist.cookie.HeaderAccess;
import io.netty.handler.codec.http.HttpHeaders;

import java.util.List;

/** Netty's headers of one message as the cookie codec sees headers ({@link HeaderAccess}); event-loop thread only. */
public record NettyHeaderAccess(HttpHeaders headers) implements HeaderAccess {
    @Override
    public List<String> all(String name) {
        return headers.getAll(name);
    }

    @Override
    public boolean contains(String name) {
        return headers.contains(name);
    }

    @Override
    public void replace(String name, List<String> values) {
        headers.remove(name);
        for (String v : values) {
            headers.add(name, v);
        }
    }

    @Override
    public void add(String name, String value) {
        headers.add(name, value);
    }
}
