/** The runtime API (stats socket, commands, levels), the HTML stats page and the Prometheus exporter, in HAProxy's formats. */
package io.berth.api;
