/** The runtime API: the stats socket, its command registry and access levels, and HAProxy's output formats. */
package io.berth.api;
