/** TLS towards servers: client contexts built once from a server's {@code ssl} arguments, shared by the data plane and health checks. */
package io.berth.ssl;
