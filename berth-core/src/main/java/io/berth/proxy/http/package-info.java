/** HTTP/1.1 proxying: one transaction per request, routing, rules, backend connect/retry/reuse, errors and httplog. */
package io.berth.proxy.http;
