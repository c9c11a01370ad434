/** TLS towards servers: client contexts built once from a server's TLS arguments, for traffic and health checks. */
package io.berth.ssl;
